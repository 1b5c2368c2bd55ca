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
                print("Loaded \(loaded.count) script(s) for \(portfolio): \(loaded.map(\.rawValue).joined(separator: ", ")). Agents get them at their next sync.")
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
