import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// Tops the agent's worklist up to capacity with the highest-priority eligible dossiers of the
    /// pool: one of the agent's portfolios, a language the agent speaks, not disputed, paid or closed.
    /// Each claim is a conditional update, so concurrent hand-outs never give a dossier to two agents.
    public func handOut(agentId: Int64, now: Date) async throws -> Int {
        // Most syncs find the worklist full: decide that with a read, not a write.
        let wanted = try await pool.read { db in try Self.handOutCandidates(db, agentId: agentId) }
        guard !wanted.isEmpty else { return 0 }
        return try await pool.write { db in
            var claimed = 0
            for dossierId in try Self.handOutCandidates(db, agentId: agentId)
            where try Self.reassign(db, dossierId: dossierId, from: nil, to: agentId, now: now) {
                claimed += 1
            }
            return claimed
        }
    }

    static func handOutCandidates(_ db: Database, agentId: Int64) throws -> [String] {
        // `held` is kept by every assignment change: a full worklist is known without counting it.
        guard let agent = try Row.fetchOne(db.cachedStatement(sql: "SELECT capacity, languages, portfolios, status, held FROM agents WHERE id = ?"),
                                           arguments: [agentId]) else { return [] }
        guard (agent["status"] as String) == AccountStatus.active.rawValue else { return [] }
        let need = (agent["capacity"] as Int) - (agent["held"] as Int)
        let portfolios = (agent["portfolios"] as String).split(separator: ",").map(String.init)
        let languages = (agent["languages"] as String).split(separator: ",").map(String.init)
        guard need > 0, !portfolios.isEmpty, !languages.isEmpty else { return [] }
        return try String.fetchAll(db, sql: """
            SELECT id FROM dossiers
            WHERE assigned_agent_id IS NULL AND closed_at IS NULL
              AND status NOT IN ('disputed', 'paid', 'closed')
              AND portfolio IN (\(databaseQuestionMarks(count: portfolios.count)))
              AND language IN (\(databaseQuestionMarks(count: languages.count)))
            ORDER BY priority DESC, due_date, id
            LIMIT ?
            """, arguments: StatementArguments(portfolios + languages) + [need])
    }

    /// Returns to the pool the dossiers of agents silent longer than the portfolio's lease, except
    /// pinned ones and those holding the agent's callback or active promise: those stay with the
    /// agent and are reported to supervisors.
    public func expireLeases(now: Date) async throws -> LeaseSweep {
        try await pool.write { db in
            let (expired, kept) = try Self.lapsedLeases(db, now: now)
            var sweep = LeaseSweep(released: [], kept: kept)
            for dossier in expired where try Self.reassign(db, dossierId: dossier.id, from: dossier.agentId, to: nil, now: now) {
                sweep.released.append(dossier.reference)
            }
            return sweep
        }
    }

    /// What a sweep would do now, without doing it: for the supervisors' sync report.
    public func lapsedLeases(now: Date) async throws -> LeaseSweep {
        try await pool.read { db in
            let (expired, kept) = try Self.lapsedLeases(db, now: now)
            return LeaseSweep(released: expired.map(\.reference), kept: kept)
        }
    }

    static func lapsedLeases(_ db: Database, now: Date) throws -> (expired: [(id: String, reference: String, agentId: Int64)], kept: [LeaseSweep.Kept]) {
        let rows = try Row.fetchAll(db, sql: """
            SELECT d.id, d.reference, d.assigned_agent_id, d.assigned_at, d.next_callback, p.lease_seconds, a.login,
                   (SELECT MAX(v.last_sync_at) FROM devices v WHERE v.agent_id = d.assigned_agent_id) AS last_sync,
                   (SELECT COUNT(*) FROM promises pr WHERE pr.dossier_id = d.id AND pr.state = 'active' AND pr.agent = a.login) AS promises
            FROM dossiers d JOIN portfolios p ON p.name = d.portfolio JOIN agents a ON a.id = d.assigned_agent_id
            WHERE d.pinned = 0
            """)
        var expired: [(id: String, reference: String, agentId: Int64)] = []
        var kept: [LeaseSweep.Kept] = []
        for row in rows {
            let lastSeen = [row["last_sync"] as String?, row["assigned_at"] as String?].compactMap { $0 }.compactMap(Timestamp.parse).max()
            guard let lastSeen, now.timeIntervalSince(lastSeen) > Double(row["lease_seconds"] as Int) else { continue }
            if (row["next_callback"] as String?) != nil || (row["promises"] as Int) > 0 {
                kept.append(LeaseSweep.Kept(agent: row["login"], reference: row["reference"], lastSync: row["last_sync"]))
            } else {
                expired.append((row["id"], row["reference"], row["assigned_agent_id"]))
            }
        }
        return (expired, kept)
    }
}
