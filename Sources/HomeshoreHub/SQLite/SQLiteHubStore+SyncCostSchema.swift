import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// What makes a sync cost what changed, not the size of the scope (DESIGN §4.8): the indexes the
    /// pull and the merge search, a held-dossier count kept on the agent by every assignment change,
    /// and, on each dossier, the instant its time-driven upkeep falls due.
    static func registerSyncCostMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-sync-costs") { db in
            try db.execute(sql: """
                -- Portfolios changed after a cursor, and whether the agent holds a dossier of one.
                CREATE INDEX portfolios_changes ON portfolios(last_seq);
                CREATE INDEX dossiers_agent_portfolio ON dossiers(assigned_agent_id, portfolio);
                -- A dossier's calls by time: the contact rules' 7 days and the last contact for the priority.
                CREATE INDEX events_calls ON events(dossier_id, client_time) WHERE kind = 'call';
                ALTER TABLE agents ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
                UPDATE agents SET held = (SELECT COUNT(*) FROM dossiers d WHERE d.assigned_agent_id = agents.id);
                -- The earliest instant a promise's grace ends or a closed dossier's retention ends.
                ALTER TABLE dossiers ADD COLUMN upkeep_at TEXT;
                CREATE INDEX dossiers_upkeep ON dossiers(assigned_agent_id, upkeep_at) WHERE upkeep_at IS NOT NULL;
                """)
            let rows = try Row.fetchAll(db, sql: """
                SELECT d.id, d.closed_at, p.retention_days FROM dossiers d JOIN portfolios p ON p.name = d.portfolio
                WHERE d.closed_at IS NOT NULL OR d.id IN (SELECT dossier_id FROM promises WHERE state = 'active')
                """)
            for row in rows {
                let dossierId: String = row["id"]
                let active = try Row.fetchAll(db, sql: "SELECT due_date, grace_days FROM promises WHERE dossier_id = ? AND state = 'active'",
                                              arguments: [dossierId]).map { (due: $0["due_date"] as String, graceDays: $0["grace_days"] as Int) }
                let upkeep = Upkeep.dueAt(activePromises: active, closedAt: row["closed_at"], retentionDays: row["retention_days"])
                try db.execute(sql: "UPDATE dossiers SET upkeep_at = ? WHERE id = ?", arguments: [upkeep.map(Timestamp.string(from:)), dossierId])
            }
        }
    }
}
