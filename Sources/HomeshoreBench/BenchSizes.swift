/// How big each scenario is. The full sizes are the issue's; the quick ones only prove the program
/// still runs end to end (CI runs them), and their figures are not compared with the targets.
public struct BenchSizes: Sendable {
    public var firstSync: Int
    public var firstSyncLarge: Int
    public var eventsPerDossier: Int
    public var heldLarge: Int
    public var heldSmall: Int
    public var mergeOps: Int
    public var commandRuns: Int
    public var devices: Int
    public var loadSeconds: Int
    public var syncInterval: Int
    public var importRows: Int
    public var reportCalls: Int
    public var reportAgents: Int
    public var requestRuns: Int

    public static let full = BenchSizes(firstSync: 5_000, firstSyncLarge: 50_000, eventsPerDossier: 10, heldLarge: 10_000, heldSmall: 100,
                                        mergeOps: 5_000, commandRuns: 15, devices: 1_000, loadSeconds: 120, syncInterval: 10,
                                        importRows: 100_000, reportCalls: 1_000_000, reportAgents: 200, requestRuns: 30)
    public static let quick = BenchSizes(firstSync: 200, firstSyncLarge: 1_000, eventsPerDossier: 10, heldLarge: 500, heldSmall: 50,
                                         mergeOps: 500, commandRuns: 3, devices: 40, loadSeconds: 6, syncInterval: 2,
                                         importRows: 2_000, reportCalls: 20_000, reportAgents: 20, requestRuns: 5)
}
