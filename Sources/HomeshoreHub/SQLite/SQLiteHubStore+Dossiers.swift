import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    static let dossierSelect = """
        SELECT d.*, a.login AS assigned_login FROM dossiers d LEFT JOIN agents a ON a.id = d.assigned_agent_id
        """

    static func dossier(from row: Row) -> DossierRecord {
        let clocksText: String = row["field_clocks"]
        let clocks = clocksText == "{}" ? [:] : (try? JSONDecoder().decode([String: String].self, from: Data(clocksText.utf8))) ?? [:]
        return DossierRecord(
            id: row["id"], portfolio: row["portfolio"], reference: row["reference"], debtorName: row["debtor_name"],
            debtorType: row["debtor_type"], amountDue: row["amount_due"], balance: row["balance"], currency: row["currency"],
            dueDate: row["due_date"], phone: row["phone"], phone2: row["phone2"], email: row["email"], address: row["address"],
            postcode: row["postcode"], city: row["city"], country: row["country"], timezone: row["timezone"],
            language: row["language"], customerSince: row["customer_since"], priorIncidents: row["prior_incidents"],
            vip: row["vip"], invoiceRefs: row["invoice_refs"], letterRef: row["letter_ref"], letterDate: row["letter_date"],
            notes: row["notes"], status: row["status"], nextCallback: row["next_callback"], assignedTo: row["assigned_login"],
            placedAt: row["placed_at"], fieldClocks: clocks, closedAt: row["closed_at"], segment: row["segment"])
    }

    static func event(from row: Row) throws -> EventRecord {
        let payloadText: String = row["payload"]
        let payload = try WireJSON.decode(OpPayload.self, from: Data(payloadText.utf8))
        return EventRecord(id: row["id"], dossierId: row["dossier_id"], seq: row["seq"], kind: row["kind"],
                           agent: row["agent"], device: row["device_id"], clientTime: row["client_time"],
                           hubTime: row["hub_time"], payload: payload, flag: row["flag"])
    }

    static func insertEvent(_ db: Database, id: String, dossierId: String, kind: String, agent: String?, deviceId: String?,
                            clientTime: String?, payload: OpPayload, flag: String?, now: Date) throws -> Int64 {
        let seq = try nextSeq(db)
        let payloadText = String(decoding: try payloadEncoder.encode(payload), as: UTF8.self)
        try db.cachedStatement(sql: """
            INSERT INTO events (id, dossier_id, seq, kind, agent, device_id, client_time, hub_time, payload, flag)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, dossierId, seq, kind, agent, deviceId, clientTime, Timestamp.string(from: now), payloadText, flag])
        try db.cachedStatement(sql: "UPDATE dossiers SET last_seq = ?, updated_at = ? WHERE id = ?")
            .execute(arguments: [seq, Timestamp.string(from: now), dossierId])
        return seq
    }

    /// Event payloads as the wire writes them. One encoder for every merge: its options never change
    /// after this, and making one per event costs about as much as the encoding.
    static let payloadEncoder = WireJSON.encoder()

    /// Moves a dossier between agents (or to the pool) if it is still where the caller saw it: the
    /// conditional update is what keeps one dossier from going to two agents when several hub
    /// processes hand out work at once. The old holder gets a scope exit so its replica drops the
    /// dossier; the new holder's pull sees `assigned_seq` after its cursor and receives it whole.
    @discardableResult
    static func reassign(_ db: Database, dossierId: String, from old: Int64?, to new: Int64?, pinned: Bool = false, now: Date) throws -> Bool {
        let seq = try nextSeq(db)
        try db.cachedStatement(sql: """
            UPDATE dossiers SET assigned_agent_id = ?, assigned_seq = ?, assigned_at = ?, pinned = ?, last_seq = ?, updated_at = ?
            WHERE id = ? AND assigned_agent_id IS ?
            """).execute(arguments: [new, new == nil ? nil : seq, new == nil ? nil : Timestamp.string(from: now), pinned && new != nil,
                             seq, Timestamp.string(from: now), dossierId, old])
        guard db.changesCount == 1 else { return false }
        // Each agent's count of held dossiers moves in the same transaction as the claim, so a
        // hand-out reads it instead of counting the scope (and concurrent claims each add theirs).
        if let old {
            try db.cachedStatement(sql: "INSERT INTO scope_exits (agent_id, dossier_id, seq) VALUES (?, ?, ?)").execute(arguments: [old, dossierId, seq])
            try db.cachedStatement(sql: "UPDATE agents SET held = held - 1 WHERE id = ?").execute(arguments: [old])
        }
        if let new {
            try db.cachedStatement(sql: "UPDATE agents SET held = held + 1 WHERE id = ?").execute(arguments: [new])
        }
        let oldLogin = try old.flatMap { try String.fetchOne(db.cachedStatement(sql: "SELECT login FROM agents WHERE id = ?"), arguments: [$0]) }
        let newLogin = try new.flatMap { try String.fetchOne(db.cachedStatement(sql: "SELECT login FROM agents WHERE id = ?"), arguments: [$0]) }
        let payload = OpPayload(text: "\(oldLogin ?? "pool") → \(newLogin ?? "pool")")
        _ = try insertEvent(db, id: UUID().uuidString.lowercased(), dossierId: dossierId, kind: "assignment", agent: nil,
                            deviceId: nil, clientTime: nil, payload: payload, flag: nil, now: now)
        return true
    }

    public func assign(_ keys: [DossierKey], to login: String?, now: Date) async throws -> AssignSummary {
        try await pool.write { db in
            var target: Int64?
            if let login {
                guard let row = try Row.fetchOne(db, sql: "SELECT id, status FROM agents WHERE login = ?", arguments: [login]) else {
                    throw HomeshoreError("unknown_agent", "There is no agent with login \"\(login)\".")
                }
                guard (row["status"] as String) == AccountStatus.active.rawValue else {
                    throw HomeshoreError("agent_inactive", "The agent \"\(login)\" is \(row["status"] as String) and cannot receive dossiers.")
                }
                target = row["id"]
            }
            var resolved: [(id: String, reference: String, holder: Int64?)] = []
            var missing: [String] = []
            for key in keys {
                guard let row = try Self.resolve(db, key) else { missing.append(key.description); continue }
                resolved.append((row["id"], key.description, row["assigned_agent_id"]))
            }
            guard missing.isEmpty else {
                throw HomeshoreError("unknown_dossier", "No dossier has the reference \(missing.joined(separator: ", ")); nothing was assigned.")
            }
            var summary = AssignSummary(changed: [], unchanged: [])
            for dossier in resolved {
                if dossier.holder == target { summary.unchanged.append(dossier.reference); continue }
                // A supervisor's assignment is a pin: it does not lapse with the lease.
                try Self.reassign(db, dossierId: dossier.id, from: dossier.holder, to: target, pinned: target != nil, now: now)
                summary.changed.append(dossier.reference)
            }
            return summary
        }
    }

    /// The dossier row a key names, nil when none; an ambiguous key is an error naming the portfolios.
    static func resolve(_ db: Database, _ key: DossierKey) throws -> Row? {
        let rows = try Row.fetchAll(db, sql: Self.dossierSelect + " WHERE d.reference = ? AND (? IS NULL OR d.portfolio = ?)",
                                    arguments: [key.reference, key.portfolio, key.portfolio])
        guard rows.count <= 1 else {
            let portfolios = rows.map { $0["portfolio"] as String }.joined(separator: ", ")
            throw HomeshoreError("ambiguous_reference", "The reference \(key.reference) exists in several portfolios (\(portfolios)); write PORTFOLIO/\(key.reference) or use --portfolio.")
        }
        return rows.first
    }

    public func dossier(_ key: DossierKey) async throws -> DossierChange {
        try await pool.read { db in
            guard let row = try Self.resolve(db, key) else {
                throw HomeshoreError("unknown_dossier", "No dossier has the reference \(key).")
            }
            let dossier = try Self.fullDossier(db, row)
            let events = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE dossier_id = ? ORDER BY seq", arguments: [dossier.id]).map(Self.event(from:))
            return DossierChange(dossier: dossier, events: events, whole: true)
        }
    }

    public func scope(login: String) async throws -> [DossierChange] {
        try await pool.read { db in
            guard let agentId = try Int64.fetchOne(db, sql: "SELECT id FROM agents WHERE login = ?", arguments: [login]) else {
                throw HomeshoreError("unknown_agent", "There is no agent with login \"\(login)\".")
            }
            return try Row.fetchAll(db, sql: Self.dossierSelect + " WHERE d.assigned_agent_id = ? ORDER BY d.id", arguments: [agentId]).map { row in
                let dossier = try Self.fullDossier(db, row)
                let events = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE dossier_id = ? ORDER BY seq", arguments: [dossier.id]).map(Self.event(from:))
                return DossierChange(dossier: dossier, events: events, whole: true)
            }
        }
    }

    public func eventCount(kind: String?) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE ? IS NULL OR kind = ?", arguments: [kind, kind]) ?? 0
        }
    }
}
