import Foundation

/// `homeshore-bench`: every scenario of DESIGN §10 against real processes on loopback, each figure
/// beside its target and a baseline measured in the same run.
public struct Bench: Sendable {
    public enum Scenario: String, CaseIterable, Sendable {
        case sync, load, imports, reports
    }

    public var binaries: Binaries
    public var sizes: BenchSizes
    public var quick: Bool
    public var work: String
    public var scenarios: [Scenario]
    public var progress = BenchProgress()

    public init(binaries: Binaries, quick: Bool, work: String, scenarios: [Scenario]) {
        self.binaries = binaries
        self.quick = quick
        sizes = quick ? .quick : .full
        self.work = work
        self.scenarios = scenarios
    }

    public func run() async throws -> BenchReport {
        var report = BenchReport(quick: quick)
        let start = ContinuousClock.now
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        for scenario in scenarios {
            progress.say("scenario \(scenario.rawValue)")
            report.rows += try await run(scenario)
        }
        report.seconds = (ContinuousClock.now - start).seconds
        return report
    }

    private func run(_ scenario: Scenario) async throws -> [BenchRow] {
        switch scenario {
        case .sync:
            let hub = try await SyncHub(binaries: binaries, work: work + "/sync", sizes: sizes, progress: progress)
            do {
                var rows = try await FirstSyncScenario(hub: hub).run()
                rows += try await UpToDateScenario(hub: hub).run()
                rows += try await MergeScenario(hub: hub).run()
                rows += try await CommandScenario(hub: hub).run()
                await hub.stop()
                return rows
            } catch {
                await hub.stop()
                throw error
            }
        case .load:
            return try await LoadScenario(binaries: binaries, work: work + "/load", sizes: sizes, progress: progress).run()
        case .imports:
            return try await ImportScenario(binaries: binaries, work: work + "/imports", sizes: sizes, progress: progress).run()
        case .reports:
            return try await ReportScenario(binaries: binaries, work: work + "/reports", sizes: sizes, progress: progress).run()
        }
    }
}
