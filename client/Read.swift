import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreClient
import HomeshoreCore

extension ClientCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Last sync, queued ops, refused ops, dossiers held.")
        @OptionGroup var home: HomeOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let status = try home.reader().status()
            if output.format == .json {
                print(try WireJSON.pretty(status))
                return
            }
            guard let agent = status.agent else {
                print("Not enrolled. Run `homeshore enroll TOKEN` with the token from your admin.")
                return
            }
            print("Agent:          \(agent)")
            print("Hub:            \(status.hub ?? "-")")
            print("Last sync:      \(status.lastSyncAt ?? "never")")
            print("Queued ops:     \(status.queued)" + (status.oldestQueuedAt.map { " (oldest recorded \($0))" } ?? ""))
            print("Dossiers held:  \(status.dossiers)")
            print("Refused ops:    \(status.rejected.count)")
            if !status.rejected.isEmpty {
                let rows = status.rejected.map { [$0.rejectedAt, $0.reference ?? "", $0.kind, $0.code ?? "", $0.reason] }
                print(ListOutput(columns: ["refused_at", "reference", "kind", "code", "reason"], rows: rows).render(output.format), terminator: "")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the dossiers on this laptop.")
        @OptionGroup var home: HomeOptions
        @Option(help: "\(DossierStatus.allCodes).") var status: String?
        @Option var portfolio: String?
        @Flag(help: "The day's chase list: callbacks, promises and instalments due or broken, with the reason.") var followUp = false
        @OptionGroup var output: FormatOption

        func validate() throws {
            if let status, DossierStatus(rawValue: status) == nil {
                throw ValidationError("--status must be one of \(DossierStatus.allCodes).")
            }
        }

        func run() throws {
            let desk = try home.reader()
            if followUp {
                let items = try desk.replica.followUp().filter { item in
                    (status == nil || item.dossier.status == status) && (portfolio == nil || item.dossier.portfolio == portfolio)
                }
                let rows = items.map { [$0.dossier.reference, $0.dossier.debtorName, $0.dossier.phone ?? "", $0.reason.rawValue, $0.detail] }
                print(ListOutput(columns: ["reference", "debtor", "phone", "reason", "detail"], rows: rows).render(output.format), terminator: "")
                return
            }
            let dossiers = try desk.replica.listLines(status: status, portfolio: portfolio)
            print(DossierTable.render(dossiers, format: output.format), terminator: "")
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "search", abstract: "Find dossiers by reference, name, phone, email or city (accents optional).")
        @OptionGroup var home: HomeOptions
        @Argument var text: String
        @OptionGroup var output: FormatOption

        func run() throws {
            let dossiers = try home.reader().replica.searchLines(text)
            print(DossierTable.render(dossiers, format: output.format), terminator: "")
        }
    }
}

enum DossierTable {
    static func render(_ dossiers: [DossierLine], format: ListFormat) -> String {
        let rows = dossiers.map { d in
            [d.reference, d.portfolio, d.debtorName, Money.format(d.balance, currency: d.currency), d.currency, d.status,
             d.city ?? "", d.phone ?? "", d.nextCallback.map { CommandInput.display($0, in: TimeZone(identifier: d.timezone) ?? .current) } ?? ""]
        }
        return ListOutput(columns: ["reference", "portfolio", "debtor", "balance", "currency", "status", "city", "phone", "callback"],
                          rows: rows).render(format)
    }
}
