import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    public func createAgent(_ new: NewAgent, now: Date) async throws -> Agent {
        try await pool.write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM agents WHERE login = ?", arguments: [new.login]) != nil {
                throw HomeshoreError("agent_exists", "An agent with login \"\(new.login)\" already exists.")
            }
            try db.execute(
                sql: """
                    INSERT INTO agents (login, name, role, team, languages, portfolios, capacity, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [new.login, new.name, new.role.rawValue, new.team, new.languages.joined(separator: ","),
                            new.portfolios.joined(separator: ","), new.capacity, Timestamp.string(from: now)])
        }
        guard let agent = try await agent(login: new.login) else {
            throw HomeshoreError("store_corrupt", "The agent \(new.login) was not saved.")
        }
        return agent
    }

    static let agentSelect = """
        SELECT a.*,
            (SELECT COUNT(*) FROM dossiers d WHERE d.assigned_agent_id = a.id) AS dossier_count,
            (SELECT COUNT(*) FROM devices v WHERE v.agent_id = a.id) AS device_count,
            (SELECT MAX(last_sync_at) FROM devices v WHERE v.agent_id = a.id) AS last_sync
        FROM agents a
        """

    static func agent(from row: Row) -> Agent {
        func list(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
        return Agent(
            id: row["id"], login: row["login"], name: row["name"], role: Role(rawValue: row["role"]) ?? .agent,
            team: row["team"], languages: list(row["languages"]), portfolios: list(row["portfolios"]),
            capacity: row["capacity"], status: AccountStatus(rawValue: row["status"]) ?? .active,
            createdAt: row["created_at"], dossiers: row["dossier_count"], devices: row["device_count"],
            lastSyncAt: row["last_sync"])
    }

    public func agents() async throws -> [Agent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: Self.agentSelect + " ORDER BY a.login").map(Self.agent(from:))
        }
    }

    public func agent(login: String) async throws -> Agent? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: Self.agentSelect + " WHERE a.login = ?", arguments: [login]).map(Self.agent(from:))
        }
    }

    public func devices(login: String) async throws -> [Device] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT v.* FROM devices v JOIN agents a ON a.id = v.agent_id WHERE a.login = ? ORDER BY v.created_at
                """, arguments: [login]).map { row in
                Device(id: row["id"], name: row["name"], status: AccountStatus(rawValue: row["status"]) ?? .active,
                       createdAt: row["created_at"], lastSyncAt: row["last_sync_at"], queuedOps: row["queued_ops"],
                       oldestQueuedAt: row["oldest_queued_at"])
            }
        }
    }

    /// Retiring or revoking an agent takes effect on every device of theirs and returns their dossiers
    /// to the pool; ops the devices recorded before are still accepted (flagged) when a retired device pushes.
    public func setStatus(login: String, to status: AccountStatus, now: Date) async throws {
        try await pool.write { db in
            guard let agentId = try Int64.fetchOne(db, sql: "SELECT id FROM agents WHERE login = ?", arguments: [login]) else {
                throw HomeshoreError("unknown_agent", "There is no agent with login \"\(login)\".")
            }
            try db.execute(sql: "UPDATE agents SET status = ? WHERE id = ?", arguments: [status.rawValue, agentId])
            try db.execute(sql: "UPDATE devices SET status = ? WHERE agent_id = ? AND status != 'revoked'", arguments: [status.rawValue, agentId])
            if status == .retired {
                try db.execute(sql: "UPDATE devices SET retired_at = ? WHERE agent_id = ? AND retired_at IS NULL",
                               arguments: [Timestamp.string(from: now), agentId])
            }
            if status != .active {
                try db.execute(sql: "UPDATE enrollments SET used_at = ? WHERE agent_id = ? AND used_at IS NULL",
                               arguments: [Timestamp.string(from: now), agentId])
                let held = try String.fetchAll(db, sql: "SELECT id FROM dossiers WHERE assigned_agent_id = ?", arguments: [agentId])
                for dossierId in held {
                    try Self.reassign(db, dossierId: dossierId, from: agentId, to: nil, now: now)
                }
            }
        }
    }

    public func createEnrollment(login: String, secretHash: String, expiresAt: Date, now: Date) async throws {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, status FROM agents WHERE login = ?", arguments: [login]) else {
                throw HomeshoreError("unknown_agent", "There is no agent with login \"\(login)\".")
            }
            let status: String = row["status"]
            guard status == AccountStatus.active.rawValue else {
                throw HomeshoreError("agent_inactive", "The agent \"\(login)\" is \(status); a \(status) agent cannot enroll a device.")
            }
            try db.execute(sql: "INSERT INTO enrollments (secret_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                           arguments: [secretHash, row["id"] as Int64, Timestamp.string(from: now), Timestamp.string(from: expiresAt)])
        }
    }

    public func redeemEnrollment(secretHash: String, deviceId: String, deviceName: String, tokenHash: String, now: Date) async throws -> Agent {
        let login: String = try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT e.agent_id, e.expires_at, e.used_at, a.login, a.status FROM enrollments e
                JOIN agents a ON a.id = e.agent_id WHERE e.secret_hash = ?
                """, arguments: [secretHash]) else {
                throw HomeshoreError("invalid_secret", "This enrollment token is not known to the hub; ask an admin for a new one.")
            }
            guard (row["used_at"] as String?) == nil else {
                throw HomeshoreError("secret_used", "This enrollment token was already used; ask an admin for a new one (homeshore-hub agent token LOGIN).")
            }
            let expires: String = row["expires_at"]
            guard let expiry = Timestamp.parse(expires), expiry > now else {
                throw HomeshoreError("secret_expired", "This enrollment token expired at \(expires); ask an admin for a new one (homeshore-hub agent token LOGIN).")
            }
            guard (row["status"] as String) == AccountStatus.active.rawValue else {
                throw HomeshoreError("agent_inactive", "This agent account is no longer active.")
            }
            // Marking it used in the same statement that checks it keeps the secret single-use under concurrency.
            try db.execute(sql: "UPDATE enrollments SET used_at = ?, device_id = ? WHERE secret_hash = ? AND used_at IS NULL",
                           arguments: [Timestamp.string(from: now), deviceId, secretHash])
            guard db.changesCount == 1 else {
                throw HomeshoreError("secret_used", "This enrollment token was already used; ask an admin for a new one.")
            }
            try db.execute(sql: "INSERT INTO devices (id, agent_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [deviceId, row["agent_id"] as Int64, deviceName, tokenHash, Timestamp.string(from: now)])
            return row["login"]
        }
        guard let agent = try await agent(login: login) else { throw HomeshoreError("store_corrupt", "The agent vanished.") }
        return agent
    }

    public func authenticate(tokenHash: String) async throws -> DeviceAuth? {
        try await pool.read { db in
            // Every request of every device runs this: one cached statement, two unique-key searches.
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT v.id, v.status AS device_status, a.id AS agent_id, a.login, a.role, a.status AS agent_status, v.token_hash,
                       v.created_at, v.retired_at, v.wiped_at
                FROM devices v JOIN agents a ON a.id = v.agent_id WHERE v.token_hash = ?
                """), arguments: [tokenHash]).flatMap { row in
                guard Secrets.constantTimeEquals(row["token_hash"], tokenHash) else { return nil }
                // A retired device that handed in its work and was told to wipe is done: its token is dead.
                if (row["wiped_at"] as String?) != nil {
                    throw HomeshoreError("device_retired", "This device was retired and has handed in its work; enroll it again to use it.")
                }
                var device = DeviceAuth(deviceId: row["id"], deviceStatus: AccountStatus(rawValue: row["device_status"]) ?? .revoked,
                                        agentId: row["agent_id"], login: row["login"], role: Role(rawValue: row["role"]) ?? .agent,
                                        agentStatus: AccountStatus(rawValue: row["agent_status"]) ?? .revoked)
                device.enrolledAt = Timestamp.parse(row["created_at"]) ?? .distantPast
                device.retiredAt = (row["retired_at"] as String?).flatMap(Timestamp.parse)
                return device
            }
        }
    }
}

extension SQLiteHubStore {
    /// A smaller capacity or fewer skills take effect at the next hand-out; dossiers already held stay.
    public func updateAgent(login: String, _ change: AgentChange) async throws -> Agent {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM agents WHERE login = ?", arguments: [login]) != nil else {
                throw HomeshoreError("unknown_agent", "There is no agent with login \"\(login)\".")
            }
            if let name = change.name { try db.execute(sql: "UPDATE agents SET name = ? WHERE login = ?", arguments: [name, login]) }
            if let role = change.role { try db.execute(sql: "UPDATE agents SET role = ? WHERE login = ?", arguments: [role.rawValue, login]) }
            if let team = change.team { try db.execute(sql: "UPDATE agents SET team = ? WHERE login = ?", arguments: [team, login]) }
            if let languages = change.languages {
                try db.execute(sql: "UPDATE agents SET languages = ? WHERE login = ?", arguments: [languages.joined(separator: ","), login])
            }
            if let portfolios = change.portfolios {
                try db.execute(sql: "UPDATE agents SET portfolios = ? WHERE login = ?", arguments: [portfolios.joined(separator: ","), login])
            }
            if let capacity = change.capacity { try db.execute(sql: "UPDATE agents SET capacity = ? WHERE login = ?", arguments: [capacity, login]) }
        }
        guard let agent = try await agent(login: login) else { throw HomeshoreError("store_corrupt", "The agent vanished.") }
        return agent
    }
}
