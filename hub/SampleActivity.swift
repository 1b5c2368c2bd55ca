import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreHub

extension HubCommand {
    struct SampleActivity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample-activity",
            abstract: "Fill a demo hub with weeks of generated work (portfolios BANQUE-SUD and TELCO-EST, agents agent01…, calls, promises, payments) so reports have figures.")
        @OptionGroup var data: DataOptions
        @Option(help: "Simulated agents.") var agents: Int = 6
        @Option(help: "Days of work before today.") var days: Int = 21
        @Option(help: "Dossiers in each of the two sample portfolios.") var dossiers: Int = 120
        @Option var seed: UInt64 = 7

        func validate() throws {
            guard (1...200).contains(agents) else { throw ValidationError("--agents must be between 1 and 200.") }
            guard (1...400).contains(days) else { throw ValidationError("--days must be between 1 and 400.") }
            guard (1...100_000).contains(dossiers) else { throw ValidationError("--dossiers must be between 1 and 100000.") }
        }

        func run() async throws {
            let admin = try HubAdmin(dir: data.dir)
            let generator = ActivityGenerator(seed: seed, agents: agents, days: days, dossiersPerPortfolio: dossiers)
            let summary = try await generator.run(on: admin.store, now: Date()) { day, total in
                CommandRunner.progress("Simulating day \(day) of \(total)…")
            }
            CommandRunner.progress("")
            print("Simulated \(days) days of \(summary.agents.count) agents: \(summary.applied) ops merged (\(summary.lateOps) synced late), "
                  + "\(summary.rejected) refused, \(summary.payments) payments.")
        }
    }
}
