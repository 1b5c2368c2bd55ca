import Foundation
import GRDB
import HomeshoreClient
import HomeshoreCore

/// Merge throughput over HTTPS: batches of real ops (calls, notes, a promise, a contact change) on
/// the same 100 dossiers, by a device whose agent holds 100 or 10,000, each batch followed by the
/// pull of what it changed, as the client does. Baseline: plain SQLite inserting the same op and
/// event rows, in transactions of the same size.
struct MergeScenario {
    let hub: SyncHub

    func run() async throws -> [BenchRow] {
        let sizes = hub.sizes
        let large = try await throughput("held")
        let small = try await throughput("held100")
        let baseline = try baselineRate()
        let batch = SyncEngine.batchSize
        return [
            BenchRow("merge over HTTPS, \(Show.count(sizes.mergeOps)) ops in batches of \(batch), \(Show.count(sizes.heldLarge)) dossiers held",
                     figure: Show.rate(large, "ops"), target: "≥ 20 % of plain SQLite",
                     baseline: "plain SQLite \(Show.rate(baseline, "ops")): \(Show.percent(large / baseline))", met: large >= 0.2 * baseline),
            BenchRow("merge over HTTPS, same ops, \(sizes.heldSmall) dossiers held", figure: Show.rate(small, "ops"),
                     target: "\(Show.count(sizes.heldLarge)) held within 1.2×",
                     baseline: "\(Show.count(sizes.heldLarge)) held: \(Show.ratio(small / large)) slower", met: small / large <= 1.2),
        ]
    }

    private func throughput(_ login: String) async throws -> Double {
        let device = hub.devices[login]!
        let http = try BenchHTTP(caPEM: hub.hub.caPEM)
        defer { Task { await http.shutdown() } }
        var cursor: Int64 = 0
        // Up to date first: the figure is the merge, not the first sync.
        cursor = try await drain(http, device, cursor: cursor, ops: [])
        let ids = try hub.seeder.dossiers(portfolio: "P-" + login.uppercased()).prefix(hub.sizes.heldSmall).map(\.id)
        var factory = OpFactory(node: device.auth.deviceId, seed: 42)
        let ops = (0..<hub.sizes.mergeOps).map { factory.op(on: ids[$0 % ids.count], index: $0 / ids.count) }
        hub.progress.say("merging \(Show.count(ops.count)) ops over HTTPS (\(login))")
        let start = ContinuousClock.now
        for batch in ops.chunked(SyncEngine.batchSize) {
            cursor = try await drain(http, device, cursor: cursor, ops: Array(batch))
        }
        return Double(ops.count) / (ContinuousClock.now - start).seconds
    }

    /// One push, then pulls until the hub has nothing more: the client's loop.
    private func drain(_ http: BenchHTTP, _ device: BenchDevice, cursor: Int64, ops: [SyncOp]) async throws -> Int64 {
        var cursor = cursor
        var pending = ops
        while true {
            let response = try await http.sync("https://127.0.0.1:\(hub.relay.port)", token: device.token, SyncRequest(cursor: cursor, ops: pending, queued: 0))
            if let refused = response.results.first(where: { $0.status == .rejected }) {
                throw HomeshoreError("bench_op_refused", "The hub refused a benchmark op: \(refused.code ?? "") \(refused.reason ?? "")")
            }
            pending = []
            cursor = response.cursor
            if !response.more { return cursor }
        }
    }

    /// The op and event rows the merge writes, inserted by plain SQLite in transactions of a batch.
    private func baselineRate() throws -> Double {
        let pool = try PlainSQLite.open(hub.work + "/baseline-merge.sqlite")
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE applied_ops (op_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, status TEXT NOT NULL, applied_at TEXT NOT NULL);
                CREATE TABLE events (id TEXT PRIMARY KEY, dossier_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
                                     client_time TEXT, hub_time TEXT NOT NULL, payload TEXT NOT NULL);
                CREATE INDEX events_dossier ON events(dossier_id, seq);
                """)
        }
        var factory = OpFactory(node: "baseline", seed: 42)
        let ids = (0..<hub.sizes.heldSmall).map { _ in UUID().uuidString.lowercased() }
        let ops = (0..<hub.sizes.mergeOps).map { factory.op(on: ids[$0 % ids.count], index: $0 / ids.count) }
        var seq: Int64 = 0
        let start = ContinuousClock.now
        for batch in ops.chunked(SyncEngine.batchSize) {
            try pool.write { db in
                let now = Timestamp.string(from: Date())
                for op in batch {
                    seq += 1
                    try db.execute(sql: "INSERT INTO applied_ops VALUES (?, ?, 'applied', ?)", arguments: [op.id, "baseline", now])
                    try db.execute(sql: "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [op.id, op.dossierId, seq, op.kind, op.recordedAt, now, String(decoding: try WireJSON.encode(op.payload), as: UTF8.self)])
                }
            }
        }
        return Double(ops.count) / (ContinuousClock.now - start).seconds
    }
}
