import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreClient
import HomeshoreCore

extension ClientCommand {
    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lookup",
            abstract: "Fetch a dossier of your portfolios that you do not hold, for an inbound call (online). Exit 3 when the hub is unreachable.",
            discussion: """
                The dossier stays on this laptop for 7 days (or until it is assigned to you): record the call \
                with `homeshore call` or `homeshore note` on it, offline too; the hub flags them inbound.
                """)
        @OptionGroup var home: HomeOptions
        @Argument(help: "REF or PORTFOLIO/REF.") var reference: String
        @Option(help: "The portfolio, when the reference exists in several of yours.") var portfolio: String?
        @Option(help: "text or json.") var format: String = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json.") }
        }

        func run() async throws {
            let desk = try home.desk()
            let view: DossierView
            do {
                view = try await desk.lookup(reference: reference, portfolio: portfolio)
            } catch let error as HomeshoreError where error.code == "hub_unreachable" {
                CommandRunner.printError("\(error.message) A look-up needs the hub; `homeshore show` works offline for your own dossiers.")
                throw ExitCode(3)
            } catch let error as HomeshoreError where error.code == "device_revoked" {
                throw HomeshoreError(error.code, "This laptop has been revoked by an admin; its local data has been wiped.")
            }
            let d = view.dossier
            let lookedUp = try desk.replica.isLookedUp(dossierId: d.id)
            let script = try desk.replica.script(for: d)
            let name = "\(d.portfolio)/\(d.reference)"
            if format == "json" {
                struct Output: Encodable {
                    var dossier: DossierRecord; var situation: String; var script: String?; var history: [HistoryItem]; var lookedUp: Bool
                }
                print(try WireJSON.pretty(Output(dossier: d, situation: d.situation.rawValue, script: script, history: view.history,
                                                 lookedUp: lookedUp)))
                return
            }
            print(DossierText.render(view, script: script), terminator: "")
            print("")
            if lookedUp {
                print("Looked up from the hub: \(name) is \(d.assignedTo.map { "held by \($0)" } ?? "not assigned"); it stays on this laptop for 7 days.")
                print("Record the inbound call:  homeshore call \(name) --outcome right-party --note \"…\"")
                print("               or a note:  homeshore note \(name) \"…\"")
                print("Both are sent at the next sync; the hub flags them inbound.")
            } else {
                print("\(name) is one of your dossiers: record work on it as usual.")
            }
        }
    }
}
