import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreCore
import HomeshoreHub

extension DisputeState: ExpressibleByArgument {}

extension HubCommand {
    struct DisputeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dispute", abstract: "Settle disputes.", subcommands: [Resolve.self])

        struct Resolve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Resolve a dossier's open dispute: upheld closes the claim (or lowers it with --amount), adjusted sets the new balance, rejected resumes collection.")
            @OptionGroup var data: DataOptions
            @Argument var reference: String
            @Option var portfolio: String?
            @Option(help: "upheld, rejected or adjusted.") var outcome: DisputeState
            @Option(help: "The new balance, like 120.00.") var amount: String?

            func validate() throws {
                guard outcome != .open else { throw ValidationError("--outcome must be upheld, rejected or adjusted.") }
            }

            func run() async throws {
                let admin = try HubAdmin(dir: data.dir)
                let dossier = try await admin.store.resolveDispute(DossierKey.parse(reference, portfolio: portfolio), outcome: outcome,
                                                                   amount: amount, now: Date())
                print("Dispute on \(dossier.reference) \(outcome.rawValue); the dossier is now \(dossier.status), balance \(Money.format(dossier.balance, currency: dossier.currency)) \(dossier.currency).")
            }
        }
    }

    struct ScriptsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "scripts", abstract: "Call scripts per situation.", subcommands: [Load.self])

        struct Load: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Load a portfolio's scripts: one Markdown file per situation (first-contact.md, broken-promise.md, plan-follow-up.md, dispute-follow-up.md, inbound.md).")
            @OptionGroup var data: DataOptions
            @Argument var directory: String
            @Option var portfolio: String

            func run() async throws {
                let loaded = try await HubAdmin(dir: data.dir).loadScripts(directory: directory, portfolio: portfolio)
                print("Loaded \(loaded.count) script(s) for \(portfolio): \(loaded.map(\.description).joined(separator: ", ")). Agents get them at their next sync.")
            }
        }
    }

    struct Settle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Settle the promises whose grace period ended (serve does this every 10 minutes).")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let changed = try await HubAdmin(dir: data.dir).store.settleDue(now: Date())
            print("\(changed) dossier(s) settled.")
        }
    }
}

extension HubCommand {
    struct PortfolioCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "portfolio", abstract: "A portfolio's policy.", subcommands: [Set.self, Show.self])

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Change a portfolio's policy; agents get it at their next sync.")
            @OptionGroup var data: DataOptions
            @Argument var name: String
            @Option(help: "Days after a promise's due date during which a payment still keeps it (default 3).") var graceDays: Int?
            @Option(help: "Missed instalments that break a plan (default 2).") var planMissedLimit: Int?
            @Option(help: "Days a paid or closed dossier stays on agents' laptops (default 30).") var retentionDays: Int?
            @Option(help: "Calling window in the debtor's time zone, e.g. \"mon-fri 08:00-20:00, sat 09:00-13:00\".") var window: String?
            @Option(name: .customLong("max-attempts-7d"), help: "Calls per dossier in a rolling 7 days, all agents together (default 3).")
            var maxAttempts7d: Int?
            @Option(help: "Rest after reaching the debtor, unless a callback was agreed, e.g. 48h (default).") var restAfterContact: String?
            @Option(help: "How long an agent keeps dossiers without syncing, e.g. 72h (default).") var lease: String?

            func validate() throws {
                if let graceDays, !(0...60).contains(graceDays) { throw ValidationError("--grace-days must be between 0 and 60.") }
                if let planMissedLimit, !(1...60).contains(planMissedLimit) { throw ValidationError("--plan-missed-limit must be between 1 and 60.") }
                if let retentionDays, !(0...3650).contains(retentionDays) { throw ValidationError("--retention-days must be between 0 and 3650.") }
                if let maxAttempts7d, !(1...100).contains(maxAttempts7d) { throw ValidationError("--max-attempts-7d must be between 1 and 100.") }
            }

            func run() async throws {
                let change = PolicyChange(
                    graceDays: graceDays, planMissedLimit: planMissedLimit, retentionDays: retentionDays,
                    window: try window.map { try CallingWindow(parsing: $0) }, maxAttempts7d: maxAttempts7d,
                    restAfterContact: try restAfterContact.map(PolicyDuration.parse), lease: try lease.map(PolicyDuration.parse))
                if let lease = change.lease, lease < 3600 { throw HomeshoreError("invalid_lease", "A lease shorter than an hour would take dossiers from agents mid-call.") }
                let policy = try await HubAdmin(dir: data.dir).store.setPolicy(portfolio: name, change, now: Date())
                print(Show.describe(policy))
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a portfolio's policy and scripts.")
            @OptionGroup var data: DataOptions
            @Argument var name: String
            @OptionGroup var output: FormatOption

            func run() async throws {
                let policy = try await HubAdmin(dir: data.dir).store.policy(portfolio: name)
                if output.format == .json {
                    print(try WireJSON.pretty(policy))
                } else {
                    print(Self.describe(policy))
                }
            }

            static func describe(_ p: PortfolioPolicy) -> String {
                """
                Portfolio \(p.name): \(p.dossiers) dossiers
                Grace days:         \(p.graceDays)
                Plan missed limit:  \(p.planMissedLimit)
                Retention days:     \(p.retentionDays)
                Calling window:     \(p.window) (debtor's time zone)
                Max attempts (7d):  \(p.maxAttempts7d)
                Rest after contact: \(p.restAfterContact)
                Lease:              \(p.lease)
                Scripts:            \(p.scripts.isEmpty ? "none" : p.scripts.joined(separator: ", "))
                """
            }
        }
    }
}
