import Foundation
import GRDB

/// A laptop's first sync of a whole scope, as one `homeshore sync` process, with the bytes that
/// crossed the wire. Baseline: plain SQLite writing the same dossier and event rows the replica
/// ended with, in one transaction.
struct FirstSyncScenario {
    let hub: SyncHub

    func run() async throws -> [BenchRow] {
        let sizes = hub.sizes
        let (small, smallBytes) = try measure("first", count: sizes.firstSync)
        let (large, largeBytes) = try measure("large", count: sizes.firstSyncLarge)
        let baseline = try PlainSQLite.copyReplica(hub.homes["first"]!.replica, work: hub.work)
        let perSmall = small / Double(sizes.firstSync), perLarge = large / Double(sizes.firstSyncLarge)
        let events = sizes.eventsPerDossier
        return [
            BenchRow("first sync, \(Show.count(sizes.firstSync)) dossiers × \(events) events", figure: Show.seconds(small), target: "< 2 s",
                     baseline: "plain SQLite, same rows: \(Show.seconds(baseline))", met: small < 2),
            BenchRow("first sync, \(Show.count(sizes.firstSync)) dossiers: bytes on the wire", figure: "\(Show.bytes(smallBytes.down)) down, \(Show.bytes(smallBytes.up)) up",
                     target: "< 3 MB", baseline: "TLS included", met: smallBytes.down + smallBytes.up < 3_000_000),
            BenchRow("first sync, \(Show.count(sizes.firstSyncLarge)) dossiers × \(events) events", figure: "\(Show.seconds(large)) (\(Show.ms(perLarge)) per dossier)",
                     target: "per dossier ≤ 1.3× the \(Show.count(sizes.firstSync)) case",
                     baseline: "\(Show.ms(perSmall)) per dossier: \(Show.ratio(perLarge / perSmall))", met: perLarge <= 1.3 * perSmall),
            BenchRow("first sync, \(Show.count(sizes.firstSyncLarge)) dossiers: bytes on the wire", figure: "\(Show.bytes(largeBytes.down)) down, \(Show.bytes(largeBytes.up)) up",
                     target: "—", baseline: "\(Show.ratio(Double(largeBytes.down) / Double(max(1, smallBytes.down)))) the \(Show.count(sizes.firstSync)) case", met: nil),
        ]
    }

    private func measure(_ login: String, count: Int) throws -> (Double, ByteRelay.Counts) {
        hub.progress.say("first sync of \(Show.count(count)) dossiers (\(login))")
        hub.relay.reset()
        let seconds = try hub.homes[login]!.sync()
        return (seconds, hub.relay.current)
    }
}
