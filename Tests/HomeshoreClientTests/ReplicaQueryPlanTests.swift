import Foundation
import GRDB
@testable import HomeshoreClient
import HomeshoreCore
import Testing

/// What the reading commands (`next`, `list`, `list --follow-up`, `search`, `show`, the contact check
/// of `call`) and the apply of a pulled page execute must not grow with the replica (issue 10): every
/// statement is traced and its plan read with EXPLAIN QUERY PLAN; none may scan the dossiers, their
/// events or the search index. (The work list, one narrow row per dossier, is read in priority order
/// by design: that is the ordering SQL computes, without decoding any record.)
@Suite struct ReplicaQueryPlanTests {
    final class StatementLog: @unchecked Sendable {
        private let lock = NSLock()
        private var statements: [String] = []
        func append(_ sql: String) { lock.withLock { statements.append(sql) } }
        func take() -> [String] { lock.withLock { defer { statements = [] }; return statements } }
    }

    /// Starts tracing every statement the connection runs (statements of triggers excepted: they are
    /// reported as comments, and each is a primary-key or indexed lookup in the schema).
    static func trace(_ db: Database, into log: StatementLog) {
        db.trace(options: .statement) { event in
            if case .statement(let statement) = event, !statement.sql.hasPrefix("--") { log.append(statement.expandedSQL) }
        }
    }

    static let bigTables: Set<String> = ["dossiers", "d", "events", "e", "dossier_search", "s"]

    /// The plan lines that read a whole big table.
    static func scans(_ db: Database, _ sql: String) throws -> [String] {
        let verb = sql.prefix(while: { !$0.isWhitespace }).uppercased()
        guard ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(verb) else { return [] }
        let details = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
        return details.filter { detail in
            let words = detail.split(separator: " ").map(String.init)
            guard words.count >= 2, words[0] == "SCAN", bigTables.contains(words[1]) else { return false }
            // FTS5 reached through MATCH or by rowid names its constraint after the colon; a bare
            // "INDEX 0:" is a full scan of the index.
            if detail.contains("VIRTUAL TABLE INDEX"), let constraint = detail.split(separator: ":").last, detail.last != ":" {
                return constraint.isEmpty
            }
            return true
        }
    }

    @Test func theReadingCommandsUseIndexesOnly() throws {
        let (writer, folder) = try WorkListTests.randomReplica(seed: 21, dossiers: 120)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reference = try #require(try writer.list().first { $0.status == "new" }?.reference)
        let name = try #require(try writer.list().first?.debtorName.split(separator: " ").last.map(String.init))
        try writer.close()
        let replica = try Replica(path: folder + "/" + Replica.fileName, access: .readOnly)
        let log = StatementLog()
        try replica.pool.writeWithoutTransaction { db in Self.trace(db, into: log) }
        for text in WorkListTests.instants {
            let now = try #require(Timestamp.parse(text))
            _ = try replica.pick(now: now)
            _ = try replica.listLines(now: now)
            _ = try replica.listLines(status: "new", portfolio: "P", now: now)
            _ = try replica.followUp(now: now)
            _ = try replica.violations(reference: reference, now: now)
        }
        _ = try replica.searchLines(name)
        _ = try replica.searchLines("0612")
        _ = try replica.search(name)
        let view = try replica.view(reference: reference)
        _ = try replica.script(for: view.dossier)
        let statements = log.take()
        try replica.pool.writeWithoutTransaction { db in db.trace(options: .statement, nil) }
        #expect(statements.count > 20)
        try replica.read { db in
            for sql in statements {
                let scans = try Self.scans(db, sql)
                #expect(scans.isEmpty, "\(sql)\n  \(scans)")
            }
        }
    }

    @Test func applyingAPageAndRecordingWorkUseIndexesOnly() throws {
        let (replica, folder) = try WorkListTests.randomReplica(seed: 22, dossiers: 120)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let base = try #require(Timestamp.parse("2027-03-15T10:00:00Z"))
        var random = SeededRandom(seed: 23)
        let log = StatementLog()
        try replica.pool.writeWithoutTransaction { db in Self.trace(db, into: log) }
        let held = try replica.list()
        // A page with acknowledged and refused ops, a removal, dossiers already held (whole or not) and new ones.
        let queued = try replica.queued()
        let results = queued.prefix(6).enumerated().map { index, op in
            OpResult(id: op.op.id, status: index.isMultiple(of: 2) ? .applied : .rejected, code: "refused", reason: "no")
        }
        var upserts = (0..<3).map { WorkListTests.randomChange(1000 + $0, base: base, random: &random) }
        for n in [5, 6] {
            var change = WorkListTests.randomChange(n, base: base, random: &random)
            change.whole = n == 5
            upserts.append(change)
        }
        try replica.apply(SyncResponse(results: Array(results), removals: [held[0].id], upserts: upserts, cursor: 200, more: false,
                                       wipe: false, agent: "alice", hubTime: Timestamp.string(from: base)))
        let id = held[1].id
        try replica.record(kind: .call, dossierId: id, payload: OpPayload(outcome: "no-answer", durationSeconds: 5, at: Timestamp.string(from: base)), now: base)
        try replica.record(kind: .callback, dossierId: id, payload: OpPayload(at: Timestamp.string(from: base.addingTimeInterval(3600))), now: base)
        try replica.record(kind: .note, dossierId: id, payload: OpPayload(text: "note"), now: base)
        let statements = log.take()
        try replica.pool.writeWithoutTransaction { db in db.trace(options: .statement, nil) }
        #expect(statements.contains { $0.hasPrefix("INSERT INTO dossier_search") })
        try replica.read { db in
            for sql in statements {
                let scans = try Self.scans(db, sql)
                #expect(scans.isEmpty, "\(sql)\n  \(scans)")
            }
        }
    }

    /// A replica made before the work list (v1 to v3) is brought up: its search entries are keyed by
    /// the dossiers' rowids and its work list is filled, so it reads exactly as a fresh one.
    @Test func anOlderReplicaGetsItsWorkListAndSearchKeys() throws {
        let (fresh, folder) = try WorkListTests.randomReplica(seed: 24, dossiers: 50)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let now = try #require(Timestamp.parse("2027-03-17T14:00:00Z"))
        let expected = try fresh.ranked(now: now).map(\.dossier.id)
        let found = Set(try fresh.search("Besançon").map(\.id))
        // Take the v4 tables back to what v3 had: search entries under their own rowids, no work list.
        try fresh.writeWithoutTransaction { db in
            try db.execute(sql: """
                CREATE TABLE search_copy AS SELECT dossier_id, reference, debtor_name, phones, email, city FROM dossier_search;
                DELETE FROM dossier_search;
                INSERT INTO dossier_search (dossier_id, reference, debtor_name, phones, email, city)
                    SELECT dossier_id, reference, debtor_name, phones, email, city FROM search_copy ORDER BY random();
                DROP TABLE search_copy;
                DROP TABLE work_list;
                DELETE FROM grdb_migrations WHERE identifier IN ('v4-work-list', 'v5-contact-holds', 'v6-work-list-groups');
                """)
        }
        try fresh.close()
        let reopened = try Replica(path: folder + "/" + Replica.fileName)
        #expect(try reopened.ranked(now: now).map(\.dossier.id) == expected)
        #expect(Set(try reopened.search("Besançon").map(\.id)) == found && !found.isEmpty)
        try reopened.read { db in
            let mismatched = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM dossier_search s LEFT JOIN dossiers d ON d.rowid = s.rowid WHERE d.id IS NOT s.dossier_id
                """)
            #expect(mismatched == 0)
        }
    }
}
