import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreHub

@main
enum Main {
    static func main() async { await CommandRunner.run(HubCommand.self) }
}

struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeshore-hub",
        abstract: "The Homeshore hub: hands out dossiers, merges what agents record, serves reports.",
        subcommands: [Init.self, Serve.self, AgentCommand.self, Import.self, Assign.self, DossierCommand.self, SampleDossiers.self, DisputeCommand.self, ScriptsCommand.self, Settle.self, PortfolioCommand.self, Report.self, SampleActivity.self])
}

struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Hub data folder (default $HOMESHORE_HUB_DATA, else ./hub-data).")
    var path: String?

    var dir: HubDataDir {
        HubDataDir(path ?? ProcessInfo.processInfo.environment["HOMESHORE_HUB_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "./hub-data")
    }
}
