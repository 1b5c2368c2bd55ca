import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// At most this many dossiers are upkept per sync; the rest wait for the next one.
    static let upkeepBatch = 500

    public func housekeeping(agentId: Int64, now: Date) async throws {
        // Read first: most syncs find nothing due and must not queue behind other writers.
        let due = try await pool.read { db in try Self.upkeepDue(db, agentId: agentId, now: now) }
        guard !due.isEmpty else { return }
        try await pool.write { db in
            let due = try Self.upkeepDue(db, agentId: agentId, now: now)
            // Settling moves `upkeep_at` past now, or the dossier leaves the agent below; the due
            // dossiers are settled together (one statement per kind of fact, not per dossier).
            try Self.settle(db, touched: due, now: now)
            for dossierId in due {
                guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT d.closed_at, p.retention_days FROM dossiers d JOIN portfolios p ON p.name = d.portfolio WHERE d.id = ?
                    """), arguments: [dossierId]),
                    Upkeep.retentionOver(closedAt: row["closed_at"], retentionDays: row["retention_days"], now: now) else { continue }
                try Self.reassign(db, dossierId: dossierId, from: agentId, to: nil, now: now)
            }
        }
    }

    /// The agent's dossiers whose upkeep fell due (a promise's grace ended, a closed dossier's
    /// retention ended): an index range, empty on most syncs, whatever the agent holds.
    static func upkeepDue(_ db: Database, agentId: Int64, now: Date) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT id FROM dossiers WHERE assigned_agent_id = ? AND upkeep_at IS NOT NULL AND upkeep_at <= ? ORDER BY upkeep_at LIMIT ?
            """), arguments: [agentId, Timestamp.string(from: now), upkeepBatch])
    }

    /// Recomputes when a dossier next needs upkeep without settling it (a policy change moved it).
    static func recomputeUpkeep(_ db: Database, dossierId: String) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT portfolio, closed_at, upkeep_at FROM dossiers WHERE id = ?"),
                                         arguments: [dossierId]) else { return }
        try refreshUpkeep(db, dossierId: dossierId, row: row, work: try loadWork(db, dossierId: dossierId), closedAt: row["closed_at"])
    }
}
