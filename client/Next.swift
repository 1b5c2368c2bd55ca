import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreClient
import HomeshoreCore

extension ClientCommand {
    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next",
            abstract: "Pick, offline, the dossier to work now: callbacks due first, then by priority, within the calling window and contact caps.")
        @OptionGroup var home: HomeOptions
        @Option(help: "text or json.") var format: String = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json.") }
        }

        func run() throws {
            let replica = try home.reader().replica
            let work = try replica.pick()
            guard let pick = work.pick else {
                print(work.held == 0 ? "No dossier to call: nothing callable on this laptop (try `homeshore sync`)."
                      : "No dossier can be called now: all \(work.held) are held back by the contact rules.")
                for item in work.firstHeld {
                    print("  \(item.dossier.reference): \(item.violations.map(\.message).joined(separator: "; "))")
                }
                return
            }
            let view = try replica.view(reference: pick.dossier.portfolio + "/" + pick.dossier.reference)
            let script = try replica.script(for: view.dossier)
            if format == "json" {
                struct Output: Encodable { var reference: String; var portfolio: String; var score: Int; var reasons: [String]; var script: String? }
                print(try WireJSON.pretty(Output(reference: pick.dossier.reference, portfolio: pick.dossier.portfolio,
                                                 score: pick.score.value, reasons: pick.score.reasons, script: script)))
                return
            }
            print("Next: \(pick.dossier.reference) — why: \(pick.score.reasons.joined(separator: "; ")) (priority \(pick.score.value))")
            print("")
            print(DossierText.render(view, script: script), terminator: "")
        }
    }
}
