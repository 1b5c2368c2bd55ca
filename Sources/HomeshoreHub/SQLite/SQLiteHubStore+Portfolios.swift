import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    static func portfolioRecord(_ db: Database, name: String) throws -> PortfolioRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM portfolios WHERE name = ?", arguments: [name]) else { return nil }
        var scripts: [String: String] = [:]
        for script in try Row.fetchAll(db, sql: "SELECT situation, body FROM scripts WHERE portfolio = ?", arguments: [name]) {
            scripts[script["situation"]] = script["body"]
        }
        return PortfolioRecord(name: name, graceDays: row["grace_days"], planMissedLimit: row["plan_missed_limit"], scripts: scripts)
    }

    public func portfolio(_ name: String) async throws -> PortfolioRecord? {
        try await pool.read { db in try Self.portfolioRecord(db, name: name) }
    }

    /// Replaces the scripts of the given situations; the change reaches agents at their next sync.
    public func setScripts(portfolio: String, scripts: [Situation: String], now: Date) async throws {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM portfolios WHERE name = ?", arguments: [portfolio]) != nil else {
                throw HomeshoreError("unknown_portfolio", "There is no portfolio \(portfolio); import its dossiers first.")
            }
            for (situation, body) in scripts {
                try db.execute(sql: """
                    INSERT INTO scripts (portfolio, situation, body) VALUES (?, ?, ?)
                    ON CONFLICT (portfolio, situation) DO UPDATE SET body = excluded.body
                    """, arguments: [portfolio, situation.rawValue, body])
            }
            try db.execute(sql: "UPDATE portfolios SET last_seq = ? WHERE name = ?", arguments: [try Self.nextSeq(db), portfolio])
        }
    }
}
