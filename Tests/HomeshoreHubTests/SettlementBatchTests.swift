import Foundation
import GRDB
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// Settling many dossiers at once (a payments file, the periodic `settleDue`) must leave the hub
/// exactly as settling them one at a time did (`LegacySettlement`, the code before batching):
/// promises, plans, credits, every rollup, the dossiers' derived columns and the events agents see.
@Suite struct SettlementBatchTests {
    /// Weeks of generated work (promises kept, partly kept and broken, plans, disputes, payments),
    /// then payments recorded but not settled yet: exact instalments, parts, overpayments, payments
    /// after a promise's grace or before it was made. Returned as a file to copy.
    static func preparedHub(seed: UInt64) async throws -> (fixture: HubFixture, snapshot: String) {
        let fixture = try HubFixture()
        _ = try await ActivityGenerator(seed: seed, agents: 4, days: 18, dossiersPerPortfolio: 45).run(on: fixture.store, now: fixture.clock)
        let clock = fixture.clock
        try await fixture.store.pool.write { db in
            var random = SampleDossiers.SplitMix64(seed: seed &+ 1)
            let promised = Dictionary(grouping: try Row.fetchAll(db, sql: "SELECT dossier_id, amount FROM promises WHERE state = 'active'"),
                                      by: { $0["dossier_id"] as String })
            var payments: [ResolvedPayment] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, balance FROM dossiers ORDER BY id") where random.next() % 3 != 0 {
                let id: String = row["id"]
                let balance: Int64 = row["balance"]
                let promise: Int64 = promised[id]?.first?["amount"] ?? 5_000
                for number in 0..<Int(1 + random.next() % 2) {
                    let amount: Int64 = switch random.next() % 5 {
                    case 0: promise
                    case 1: max(1, promise / 2)
                    case 2: max(1, balance)
                    case 3: max(1, balance) + 2_500
                    default: Int64(1 + random.next() % 20_000)
                    }
                    let paidOn = AgencyCalendar.day(of: clock.addingTimeInterval(-Double(random.next() % 20) * 86_400))
                    let line = PaymentImportRow(line: payments.count + 2, reference: id, amountText: "", paidOn: paidOn, paymentId: "\(id)-\(number)")
                    payments.append(ResolvedPayment(row: line, dossierId: id, amount: amount, id: "id:\(id)-\(number)"))
                }
            }
            _ = try SQLiteHubStore.record(db, payments, now: clock)
        }
        let snapshot = fixture.folder.appendingPathComponent("prepared.sqlite").path
        try await fixture.store.pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [snapshot]) }
        return (fixture, snapshot)
    }

    /// A copy of the prepared hub, settled by `settle` at `now`; returns what it changed and the tables.
    static func settled(_ snapshot: String, in folder: URL, name: String, now: Date,
                        _ settle: @escaping @Sendable (Database, [String]) throws -> Set<String>) async throws -> (changed: Set<String>, state: HubState) {
        let path = folder.appendingPathComponent("\(name).sqlite").path
        try FileManager.default.copyItem(atPath: snapshot, toPath: path)
        let store = try SQLiteHubStore(path: path)
        return try await store.pool.write { db in
            let before = try Int64.fetchOne(db, sql: "SELECT value FROM hub_sequence") ?? 0
            let ids = try String.fetchAll(db, sql: "SELECT id FROM dossiers ORDER BY portfolio, reference")
            let changed = try settle(db, ids)
            return (changed, try HubState(db, seqBefore: before))
        }
    }

    @Test(arguments: [UInt64(21), 34])
    func settlingAllDossiersAtOnceEqualsSettlingThemOneByOne(seed: UInt64) async throws {
        let (fixture, snapshot) = try await Self.preparedHub(seed: seed)
        // Later than every payment: the calendar breaks promises too.
        let now = fixture.clock.addingTimeInterval(6 * 86_400)
        let legacy = try await Self.settled(snapshot, in: fixture.folder, name: "legacy", now: now) { db, ids in
            Set(try ids.filter { try LegacySettlement.settle(db, dossierId: $0, now: now) })
        }
        let single = try await Self.settled(snapshot, in: fixture.folder, name: "single", now: now) { db, ids in
            Set(try ids.filter { try SQLiteHubStore.settle(db, dossierId: $0, now: now) })
        }
        let batched = try await Self.settled(snapshot, in: fixture.folder, name: "batched", now: now) { db, ids in
            Set(try SQLiteHubStore.settle(db, dossierIds: ids, now: now).filter(\.value.changed).keys)
        }
        // Batches of 7 cross batch edges: a dossier's figures and credits never depend on its neighbours.
        let small = try await Self.settled(snapshot, in: fixture.folder, name: "small", now: now) { db, ids in
            Set(try SQLiteHubStore.settle(db, dossierIds: ids, now: now, batch: 7).filter(\.value.changed).keys)
        }

        // The prepared hub holds every situation the rules distinguish.
        let kinds = legacy.state.events.values.flatMap { $0.map(\.kind) }
        for kind in ["promise-kept", "promise-partly-kept", "promise-broken"] {
            #expect(kinds.contains(kind), "no \(kind) in the settled hub")
        }
        #expect(kinds.contains { $0.hasPrefix("plan-") }, "no plan moved in the settled hub")
        #expect(legacy.state.dossiers.contains { ($0["balance"].flatMap(Int64.fromDatabaseValue) ?? 0) < 0 }, "no overpaid dossier")
        #expect(legacy.state.dossiers.contains { $0["status"] == "paid".databaseValue }, "no paid dossier")
        #expect(legacy.state.dossiers.contains { $0["status"] == "disputed".databaseValue }, "no disputed dossier")
        #expect(legacy.changed.count > 20)

        for (name, other) in [("one by one", single), ("batched", batched), ("batches of 7", small)] {
            #expect(other.changed == legacy.changed, "\(name): which dossiers changed")
            other.state.expectEqual(to: legacy.state, name)
        }
    }
}

/// The tables settling writes, without what differs by construction: event ids and sequence
/// numbers (a batch numbers its dossiers' changes together). Whether a dossier took a new number
/// is kept, and each dossier's new events in their order.
struct HubState: Sendable {
    struct Event: Equatable, Sendable {
        var kind: String
        var fields: [DatabaseValue]
    }

    var dossiers: [[String: DatabaseValue]]
    var events: [String: [Event]]
    var tables: [String: [[String: DatabaseValue]]]

    init(_ db: Database, seqBefore: Int64) throws {
        dossiers = try Row.fetchAll(db, sql: "SELECT *, last_seq > \(seqBefore) AS moved FROM dossiers ORDER BY id").map { row in
            Self.values(row).filter { $0.key != "last_seq" && $0.key != "updated_at" }
        }
        events = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT dossier_id, kind, agent, device_id, client_time, hub_time, payload, flag FROM events WHERE seq > ? ORDER BY seq
            """, arguments: [seqBefore]) {
            events[row["dossier_id"], default: []].append(Event(kind: row["kind"], fields: Array(row.databaseValues)))
        }
        // A rollup row whose changes summed to nothing is the same figures as no row.
        let figures = MetricColumn.allCases.map(\.rawValue)
        let nonZero = figures.map { "\($0) != 0" }.joined(separator: " OR ")
        tables = [
            "promises": try Row.fetchAll(db, sql: "SELECT * FROM promises ORDER BY id").map(Self.values),
            "plans": try Row.fetchAll(db, sql: "SELECT * FROM plans ORDER BY id").map(Self.values),
            "payment_credits": try Row.fetchAll(db, sql: "SELECT * FROM payment_credits ORDER BY payment_id, promise_id").map(Self.values),
            "metrics_daily": try Row.fetchAll(db, sql: "SELECT * FROM metrics_daily WHERE \(nonZero) ORDER BY day, agent, team, portfolio, currency")
                .map(Self.values),
            "metrics_monthly": try Row.fetchAll(db, sql: """
                SELECT month, agent, team, portfolio, currency, \(figures.joined(separator: ", ")) FROM metrics_monthly
                WHERE \(nonZero) ORDER BY month, agent, team, portfolio, currency
                """).map(Self.values),
        ]
    }

    static func values(_ row: Row) -> [String: DatabaseValue] {
        Dictionary(zip(row.columnNames, row.databaseValues), uniquingKeysWith: { first, _ in first })
    }

    func expectEqual(to reference: HubState, _ name: String) {
        #expect(dossiers.count == reference.dossiers.count, "\(name): dossiers")
        for (mine, theirs) in zip(dossiers, reference.dossiers) where mine != theirs {
            let columns = Set(mine.keys).union(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
            Issue.record("\(name): dossier \(theirs["reference"].map { "\($0)" } ?? "?") differs in \(columns)")
        }
        #expect(Set(events.keys) == Set(reference.events.keys), "\(name): dossiers with new events")
        for (dossier, theirs) in reference.events where events[dossier] != theirs {
            Issue.record("\(name): events of \(dossier): \(events[dossier]?.map(\.kind) ?? []) instead of \(theirs.map(\.kind))")
        }
        for (table, theirs) in reference.tables {
            let mine = tables[table] ?? []
            #expect(mine.count == theirs.count, "\(name): rows of \(table)")
            let differing = zip(mine, theirs).filter { $0.0 != $0.1 }
            #expect(differing.isEmpty, "\(name): \(table) differs, first: \(differing.first.map { "\($0.0) instead of \($0.1)" } ?? "")")
        }
    }
}
