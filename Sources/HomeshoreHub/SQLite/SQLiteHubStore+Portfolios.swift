import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    static func portfolioRecord(_ db: Database, name: String) throws -> PortfolioRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM portfolios WHERE name = ?"), arguments: [name]) else { return nil }
        var scripts: [String: String] = [:]
        for script in try Row.fetchAll(db.cachedStatement(sql: "SELECT situation, body FROM scripts WHERE portfolio = ?"), arguments: [name]) {
            scripts[script["situation"]] = script["body"]
        }
        return PortfolioRecord(name: name, graceDays: row["grace_days"], planMissedLimit: row["plan_missed_limit"], scripts: scripts,
                               contact: try contactPolicy(row))
    }

    static func contactPolicy(_ row: Row) throws -> ContactPolicy {
        ContactPolicy(window: try CallingWindow(parsing: row["calling_window"]), maxAttempts7d: row["max_attempts_7d"],
                      restAfterContact: TimeInterval(row["rest_after_contact"] as Int))
    }

    public func portfolio(_ name: String) async throws -> PortfolioRecord? {
        try await pool.read { db in try Self.portfolioRecord(db, name: name) }
    }

    /// Replaces the scripts of the given situations; the change reaches agents at their next sync.
    public func setScripts(portfolio: String, scripts: [Situation: String], now: Date) async throws {
        var keyed: [ScriptKey: String] = [:]
        for (situation, text) in scripts { keyed[ScriptKey(situation: situation)] = text }
        try await setScripts(portfolio: portfolio, variants: keyed, now: now)
    }

    public func setScripts(portfolio: String, variants scripts: [ScriptKey: String], now: Date) async throws {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM portfolios WHERE name = ?", arguments: [portfolio]) != nil else {
                throw HomeshoreError("unknown_portfolio", "There is no portfolio \(portfolio); import its dossiers first.")
            }
            for (situation, body) in scripts {
                try db.execute(sql: """
                    INSERT INTO scripts (portfolio, situation, body) VALUES (?, ?, ?)
                    ON CONFLICT (portfolio, situation) DO UPDATE SET body = excluded.body
                    """, arguments: [portfolio, situation.description, body])
            }
            try db.execute(sql: "UPDATE portfolios SET last_seq = ? WHERE name = ?", arguments: [try Self.nextSeq(db), portfolio])
        }
    }
}

extension SQLiteHubStore {
    public func setPolicy(portfolio: String, _ change: PolicyChange, now: Date) async throws -> PortfolioPolicy {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM portfolios WHERE name = ?", arguments: [portfolio]) != nil else {
                throw HomeshoreError("unknown_portfolio", "There is no portfolio \(portfolio); import its dossiers first.")
            }
            if let days = change.graceDays { try db.execute(sql: "UPDATE portfolios SET grace_days = ? WHERE name = ?", arguments: [days, portfolio]) }
            if let limit = change.planMissedLimit { try db.execute(sql: "UPDATE portfolios SET plan_missed_limit = ? WHERE name = ?", arguments: [limit, portfolio]) }
            if let days = change.retentionDays {
                try db.execute(sql: "UPDATE portfolios SET retention_days = ? WHERE name = ?", arguments: [days, portfolio])
                // Closed dossiers leave laptops at a new time: each sync finds them by that time.
                for dossierId in try String.fetchAll(db, sql: "SELECT id FROM dossiers WHERE portfolio = ? AND closed_at IS NOT NULL", arguments: [portfolio]) {
                    try Self.recomputeUpkeep(db, dossierId: dossierId)
                }
            }
            if let window = change.window {
                try db.execute(sql: "UPDATE portfolios SET calling_window = ? WHERE name = ?", arguments: [window.description, portfolio])
            }
            if let cap = change.maxAttempts7d { try db.execute(sql: "UPDATE portfolios SET max_attempts_7d = ? WHERE name = ?", arguments: [cap, portfolio]) }
            if let rest = change.restAfterContact {
                try db.execute(sql: "UPDATE portfolios SET rest_after_contact = ? WHERE name = ?", arguments: [Int(rest), portfolio])
            }
            if let lease = change.lease { try db.execute(sql: "UPDATE portfolios SET lease_seconds = ? WHERE name = ?", arguments: [Int(lease), portfolio]) }
            try db.execute(sql: "UPDATE portfolios SET last_seq = ? WHERE name = ?", arguments: [try Self.nextSeq(db), portfolio])
            return try Self.policy(db, name: portfolio)
        }
    }

    public func policy(portfolio: String) async throws -> PortfolioPolicy {
        try await pool.read { db in try Self.policy(db, name: portfolio) }
    }

    static func policy(_ db: Database, name: String) throws -> PortfolioPolicy {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT p.*, (SELECT COUNT(*) FROM dossiers d WHERE d.portfolio = p.name) AS dossier_count,
                   (SELECT GROUP_CONCAT(situation, ',') FROM scripts s WHERE s.portfolio = p.name) AS situations
            FROM portfolios p WHERE p.name = ?
            """, arguments: [name]) else {
            throw HomeshoreError("unknown_portfolio", "There is no portfolio \(name).")
        }
        return PortfolioPolicy(name: name, graceDays: row["grace_days"], planMissedLimit: row["plan_missed_limit"],
                               retentionDays: row["retention_days"], window: row["calling_window"], maxAttempts7d: row["max_attempts_7d"],
                               restAfterContact: PolicyDuration.format(TimeInterval(row["rest_after_contact"] as Int)),
                               lease: PolicyDuration.format(TimeInterval(row["lease_seconds"] as Int)), dossiers: row["dossier_count"],
                               scripts: ((row["situations"] as String?) ?? "").split(separator: ",").map(String.init).sorted())
    }
}
