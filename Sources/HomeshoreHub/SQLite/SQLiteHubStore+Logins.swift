import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    public func setPasswordHash(login: String, hash: String?) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE agents SET password_hash = ? WHERE login = ?", arguments: [hash, login])
            guard db.changesCount == 1 else { throw HomeshoreError("unknown_agent", "There is no account \(login).") }
            // A new password ends every open session of the account.
            try db.execute(sql: "DELETE FROM sessions WHERE agent_id = (SELECT id FROM agents WHERE login = ?)", arguments: [login])
        }
    }

    public func credentials(login: String) async throws -> (agent: Agent, hash: String?)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: Self.agentSelect + " WHERE a.login = ? AND a.status = 'active'", arguments: [login]) else { return nil }
            return (Self.agent(from: row), row["password_hash"])
        }
    }

    public func createSession(tokenHash: String, login: String, expiresAt: Date, now: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", arguments: [Timestamp.string(from: now)])
            try db.execute(sql: """
                INSERT INTO sessions (token_hash, agent_id, created_at, expires_at)
                SELECT ?, id, ?, ? FROM agents WHERE login = ? AND status = 'active'
                """, arguments: [tokenHash, Timestamp.string(from: now), Timestamp.string(from: expiresAt), login])
            guard db.changesCount == 1 else { throw HomeshoreError("unknown_agent", "There is no active account \(login).") }
        }
    }

    public func session(tokenHash: String, now: Date) async throws -> Agent? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: Self.agentSelect + """
                 JOIN sessions s ON s.agent_id = a.id WHERE s.token_hash = ? AND s.expires_at > ? AND a.status = 'active'
                """, arguments: [tokenHash, Timestamp.string(from: now)]).map(Self.agent(from:))
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
        }
    }
}
