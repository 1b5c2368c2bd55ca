import Foundation
import GRDB

/// The agent's commands as whole processes on a replica of 5,000 dossiers and 50,000 events.
/// Baselines: the same command on a replica of 100 dossiers with the same history per dossier, and
/// `homeshore --help` (what a process of this binary costs before it opens anything).
struct CommandScenario {
    let hub: SyncHub

    func run() async throws -> [BenchRow] {
        let sizes = hub.sizes
        let large = hub.homes["first"]!, small = hub.homes["small"]!
        try small.sync()
        let word = try searchWord(large)
        let runs = sizes.commandRuns
        hub.progress.say("client commands, \(runs) runs each")
        let floor = try Command(executable: large.binary, arguments: ["--help"]).median(runs: runs)
        var rows: [BenchRow] = []
        let reads: [(String, [String])] = [
            ("next", ["next"]), ("list", ["list"]), ("list --follow-up", ["list", "--follow-up"]),
            ("search", ["search", word]), ("show", ["show", "D-000001"]),
        ]
        for (name, arguments) in reads {
            let big = try large.command(arguments).median(runs: runs)
            let little = try small.command(arguments).median(runs: runs)
            rows.append(BenchRow("`homeshore \(name)`, \(Show.count(sizes.firstSync)) dossiers, \(Show.count(sizes.firstSync * sizes.eventsPerDossier)) events",
                                 figure: Show.ms(big), target: "< 25 ms, ≤ 1.5× with \(sizes.heldSmall)",
                                 baseline: "\(sizes.heldSmall) dossiers: \(Show.ms(little)) (\(Show.ratio(big / little))); `--help`: \(Show.ms(floor))",
                                 met: big < 0.025 && big <= 1.5 * little))
        }
        // Each run records one more call: the outbox grows as on a morning offline.
        let call = try large.command(["call", "D-000002", "--outcome", "no-answer", "--duration", "30s"]).median(runs: runs)
        rows.append(BenchRow("`homeshore call`, \(Show.count(sizes.firstSync)) dossiers", figure: Show.ms(call), target: "< 50 ms",
                             baseline: "`--help`: \(Show.ms(floor))", met: call < 0.05))
        return rows
    }

    /// A word of a debtor's name, as an agent types it from an inbound call.
    private func searchWord(_ home: ClientFolder) throws -> String {
        let queue = try DatabaseQueue(path: home.replica, configuration: PlainSQLite.readOnly)
        let name = (try? queue.read { try String.fetchOne($0, sql: "SELECT debtor_name FROM dossiers ORDER BY reference LIMIT 1") }) ?? nil ?? "Martin"
        return name.split(separator: " ").last.map(String.init) ?? name
    }
}
