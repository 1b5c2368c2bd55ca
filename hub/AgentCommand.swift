import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreCore
import HomeshoreHub

extension Role: ExpressibleByArgument {}

/// `fr, en` → ["fr", "en"], as admins type lists on the command line.
private func split(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

extension HubCommand {
    struct AgentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent", abstract: "Manage agents and their devices.",
            subcommands: [Add.self, Set.self, List.self, Show.self, Token.self, Password.self, Retire.self, Revoke.self])
    }
}

extension HubCommand.AgentCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an agent and print their first enrollment token (hs1.…).")
        @OptionGroup var data: DataOptions
        @Argument var login: String
        @Option var name: String
        @Option var role: Role = .agent
        @Option var team: String?
        @Option(help: "Languages spoken, comma-separated.") var languages: String = "fr"
        @Option(help: "Portfolios worked, comma-separated.") var portfolios: String = ""
        @Option(help: "How many dossiers the agent works at once.") var capacity: Int = 50

        func run() async throws {
            let admin = try HubAdmin(dir: data.dir)
            let agent = NewAgent(login: login, name: name, role: role, team: team, languages: split(languages), portfolios: split(portfolios),
                                 capacity: capacity)
            let token = try await admin.addAgent(agent)
            print(token)
            // Supervisors and admins also read the dashboard: a first password, to be changed with `agent password`.
            if let password = try await admin.firstPassword(for: agent) {
                print("password: \(password)")
            }
        }

    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an agent's name, role, team, languages, portfolios or capacity.")
        @OptionGroup var data: DataOptions
        @Argument var login: String
        @Option var name: String?
        @Option var role: Role?
        @Option var team: String?
        @Option(help: "Languages spoken, comma-separated.") var languages: String?
        @Option(help: "Portfolios worked, comma-separated.") var portfolios: String?
        @Option(help: "How many dossiers the agent works at once.") var capacity: Int?

        func run() async throws {
            let agent = try await HubAdmin(dir: data.dir).updateAgent(login: login, AgentChange(
                name: name, role: role, team: team, languages: languages.map(split), portfolios: portfolios.map(split), capacity: capacity))
            print("\(agent.login): \(agent.role.rawValue), team \(agent.team ?? "-"), languages \(agent.languages.joined(separator: ",")), portfolios \(agent.portfolios.joined(separator: ",")), capacity \(agent.capacity)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List agents.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: FormatOption

        func run() async throws {
            let agents = try await HubAdmin(dir: data.dir).store.agents()
            let rows = agents.map { a in
                [a.login, a.name, a.role.rawValue, a.team ?? "", a.status.rawValue, a.languages.joined(separator: ","),
                 a.portfolios.joined(separator: ","), String(a.capacity), String(a.dossiers), String(a.devices), a.lastSyncAt ?? ""]
            }
            print(ListOutput(columns: ["login", "name", "role", "team", "status", "languages", "portfolios", "capacity",
                                       "dossiers", "devices", "last_sync"], rows: rows).render(output.format), terminator: "")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an agent and their devices.")
        @OptionGroup var data: DataOptions
        @Argument var login: String
        @OptionGroup var output: FormatOption

        func run() async throws {
            let admin = try HubAdmin(dir: data.dir)
            let agent = try await admin.requireAgent(login)
            let devices = try await admin.store.devices(login: login)
            if output.format == .json {
                struct Detail: Encodable { var agent: Agent; var devices: [Device] }
                print(try WireJSON.pretty(Detail(agent: agent, devices: devices)))
                return
            }
            print("\(agent.name) (\(agent.login)), \(agent.role.rawValue), \(agent.status.rawValue)")
            print("team \(agent.team ?? "-"), languages \(agent.languages.joined(separator: ",")), portfolios \(agent.portfolios.joined(separator: ",")), capacity \(agent.capacity), holds \(agent.dossiers) dossiers")
            let rows = devices.map { [$0.id, $0.name, $0.status.rawValue, $0.createdAt, $0.lastSyncAt ?? "", $0.queuedOps.map(String.init) ?? ""] }
            print(ListOutput(columns: ["device", "name", "status", "enrolled", "last_sync", "queued"], rows: rows).render(output.format), terminator: "")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new one-time enrollment token for an agent.")
        @OptionGroup var data: DataOptions
        @Argument var login: String

        func run() async throws {
            print(try await HubAdmin(dir: data.dir).enrollmentToken(login: login))
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a supervisor's or admin's dashboard password.",
            discussion: "Reads the new password from standard input (asked twice, unseen, at a terminal), or with --generate prints a random one. At least 12 characters; open dashboard sessions of the account end.")
        @OptionGroup var data: DataOptions
        @Argument var login: String
        @Flag(help: "Set a random password and print it.") var generate = false

        func run() async throws {
            let admin = try HubAdmin(dir: data.dir)
            if generate {
                print("password: \(try await admin.generatePassword(login: login))")
                return
            }
            let password = try Self.readPassword()
            try await admin.setPassword(login: login, to: password)
            print("\(login): password set; open dashboard sessions of this account were ended.")
        }

        static func readPassword() throws -> String {
            guard isatty(STDIN_FILENO) == 1 else {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw HomeshoreError("missing_password", "Give the new password on standard input (one line), or use --generate.")
                }
                return line
            }
            let first = prompt("New password: ")
            guard prompt("Again: ") == first else {
                throw HomeshoreError("password_mismatch", "The two passwords differ; nothing was changed.")
            }
            return first
        }

        /// Reads a line from the terminal without echoing it.
        static func prompt(_ text: String) -> String {
            guard let pointer = getpass(text) else { return "" }
            return String(cString: pointer)
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Retire an agent: their devices push what they hold, then wipe.")
        @OptionGroup var data: DataOptions
        @Argument var login: String

        func run() async throws {
            try await HubAdmin(dir: data.dir).store.setStatus(login: login, to: .retired, now: Date())
            print("\(login) retired: their devices may push what they hold and will then be wiped; their dossiers went back to the pool.")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an agent's devices at once (lost laptop).")
        @OptionGroup var data: DataOptions
        @Argument var login: String

        func run() async throws {
            try await HubAdmin(dir: data.dir).store.setStatus(login: login, to: .revoked, now: Date())
            print("\(login) revoked: their devices are refused from now on and wipe their data on the next contact.")
        }
    }
}
