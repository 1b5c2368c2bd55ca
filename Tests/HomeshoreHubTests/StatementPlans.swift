import Foundation
import GRDB
@testable import HomeshoreHub

/// Statements a connection runs, and what their plans read (EXPLAIN QUERY PLAN), for the tests
/// that check imports and reports against the size of the hub (issue 10) without timing anything.
final class StatementLog: @unchecked Sendable {
    private let lock = NSLock()
    private var statements: [String] = []

    func append(_ sql: String) { lock.withLock { statements.append(sql) } }
    func take() -> [String] { lock.withLock { defer { statements = [] }; return statements } }

    /// Starts logging every statement `db` runs. Statements of triggers are reported as comments
    /// and left out: each is a primary-key upsert or update of a rollup row.
    func watch(_ db: Database) {
        db.trace(options: .statement) { [self] event in
            if case .statement(let statement) = event, !statement.sql.hasPrefix("--") { append(statement.expandedSQL) }
        }
    }

    /// Starts logging the statements of the store's writing connection (imports write there only).
    func watchWriter(of store: SQLiteHubStore) throws {
        try store.pool.writeWithoutTransaction { db in watch(db) }
    }
}

enum StatementPlans {
    /// Tables that grow with the hub's dossiers, their history or its days, by the names and
    /// aliases the store's statements give them.
    static let growing: Set<String> = ["dossiers", "d", "events", "e", "payments", "y", "promises", "p", "metrics_daily", "payment_credits"]

    /// The plan lines of `sql` that read the whole of a growing table.
    static func scans(_ db: Database, _ sql: String) throws -> [String] {
        let verb = sql.prefix(while: { !$0.isWhitespace }).uppercased()
        guard ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(verb) else { return [] }
        let details = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
        // `m` is both rollup tables: the daily one must never be read whole; the monthly one is read
        // whole by an all-time report, a row per agent and month.
        let readsDaily = sql.contains("metrics_daily m")
        return details.filter { detail in
            let words = detail.split(separator: " ").map(String.init)
            guard words.count >= 2, words[0] == "SCAN" else { return false }
            return growing.contains(words[1]) || (words[1] == "m" && readsDaily)
        }
    }
}
