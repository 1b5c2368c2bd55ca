import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreCore
import HomeshoreHub

extension HubCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import creditors' files.", subcommands: [Dossiers.self, Payments.self])

        struct Payments: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Import payments from CSV (all or nothing; re-importing is harmless).")
            @OptionGroup var data: DataOptions
            @Argument(help: "The CSV file: reference, amount, paid_on, optional payment_id, currency, portfolio.") var file: String

            func run() async throws {
                let admin = try HubAdmin(dir: data.dir)
                let summary = try await admin.importPayments(file: file) { CommandRunner.progress($0 + "   ") }
                CommandRunner.progress("")
                FileHandle.standardError.write(Data("\n".utf8))
                print("Payments: \(summary.recorded) recorded (\(Money.format(summary.amount))), \(summary.duplicates) already known, \(summary.closed) dossier(s) now paid.")
            }
        }

        struct Dossiers: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Import or update a portfolio's dossiers from CSV (all or nothing).")
            @OptionGroup var data: DataOptions
            @Argument(help: "The CSV file.") var file: String
            @Option(help: "The portfolio (creditor batch) these dossiers belong to.") var portfolio: String

            func run() async throws {
                let admin = try HubAdmin(dir: data.dir)
                let (summary, ignored) = try await admin.importDossiers(file: file, portfolio: portfolio) { message in
                    CommandRunner.progress(message + "   ")
                }
                CommandRunner.progress("")
                FileHandle.standardError.write(Data("\n".utf8))
                if !ignored.isEmpty { print("Ignored unknown columns: \(ignored.joined(separator: ", "))") }
                print("Portfolio \(portfolio): \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged.")
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pin dossiers to an agent, or release them to the pool.")
        @OptionGroup var data: DataOptions
        @Argument(help: "Dossier references (REF or PORTFOLIO/REF).") var references: [String]
        @Option(help: "The agent who gets them.") var to: String?
        @Flag(help: "Release them to the pool.") var release = false
        @Option(help: "The portfolio the references belong to.") var portfolio: String?

        func validate() throws {
            guard !references.isEmpty else { throw ValidationError("Name at least one dossier reference.") }
            guard (to != nil) != release else { throw ValidationError("Give either --to LOGIN or --release.") }
        }

        func run() async throws {
            let admin = try HubAdmin(dir: data.dir)
            let keys = references.map { DossierKey.parse($0, portfolio: portfolio) }
            let summary = try await admin.store.assign(keys, to: to, now: Date())
            let target = to.map { "assigned to \($0)" } ?? "released to the pool"
            print("\(summary.changed.count) dossier(s) \(target)" + (summary.unchanged.isEmpty ? "." : "; \(summary.unchanged.count) already were."))
        }
    }

    struct DossierCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dossier", abstract: "Look at dossiers on the hub.", subcommands: [Show.self])

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a dossier and its whole merged history.")
            @OptionGroup var data: DataOptions
            @Argument var reference: String
            @Option var portfolio: String?
            @OptionGroup var output: FormatOption

            func run() async throws {
                let admin = try HubAdmin(dir: data.dir)
                let change = try await admin.store.dossier(DossierKey.parse(reference, portfolio: portfolio))
                if output.format == .json {
                    print(try WireJSON.pretty(change))
                    return
                }
                let d = change.dossier
                print("\(d.portfolio)/\(d.reference)  \(d.debtorName)  \(Money.format(d.balance, currency: d.currency)) \(d.currency)  \(d.status)  agent \(d.assignedTo ?? "-")")
                let rows = change.events.reversed().map { e in
                    [e.clientTime ?? e.hubTime, e.kind, e.agent ?? "", e.payload.outcome ?? "", e.payload.text ?? "", e.flag ?? ""]
                }
                print(ListOutput(columns: ["time", "kind", "agent", "outcome", "text", "flag"], rows: rows).render(output.format), terminator: "")
            }
        }
    }
}

extension HubCommand {
    struct SampleDossiers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample-dossiers", abstract: "Print a generated portfolio of realistic French dossiers as CSV (for demos and tests).")
        @Option var count: Int = 300
        @Option var seed: UInt64 = 1

        func validate() throws {
            guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 1000000.") }
        }

        func run() throws {
            print(HomeshoreHub.SampleDossiers.csv(count: count, seed: seed), terminator: "")
        }
    }
}
