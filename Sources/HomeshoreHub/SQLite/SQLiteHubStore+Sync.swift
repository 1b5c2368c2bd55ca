import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    public func push(_ ops: [SyncOp], from device: DeviceAuth, queued: Int?, oldestQueuedAt: String?, now: Date) async throws -> [OpResult] {
        try await pool.write { db in
            var results: [OpResult] = []
            // A device's ops apply in the order it recorded them, whatever order the batch lists them in.
            for op in ops.sorted(by: { $0.deviceSeq < $1.deviceSeq }) {
                if let prior = try Row.fetchOne(db, sql: "SELECT device_id, status, code, reason FROM applied_ops WHERE op_id = ?", arguments: [op.id]) {
                    guard (prior["device_id"] as String) == device.deviceId else {
                        results.append(OpResult(id: op.id, status: .rejected, code: "op_id_reused", reason: "Another device already sent an op with this id."))
                        continue
                    }
                    let status = OpStatus(rawValue: prior["status"]) ?? .duplicate
                    results.append(status == .rejected
                        ? OpResult(id: op.id, status: .rejected, code: prior["code"], reason: prior["reason"])
                        : OpResult(id: op.id, status: .duplicate))
                    continue
                }
                do {
                    try OpValidation.validate(op)
                    let admitted = try OpAdmission.admit(op, from: device, now: now)
                    try db.inSavepoint {
                        try Self.apply(admitted, from: device, db: db, now: now)
                        return .commit
                    }
                    try Self.record(db, op: op, device: device, result: OpResult(id: op.id, status: .applied), now: now)
                    results.append(OpResult(id: op.id, status: .applied))
                } catch let error as HomeshoreError {
                    let result = OpResult(id: op.id, status: .rejected, code: error.code, reason: error.message)
                    try Self.record(db, op: op, device: device, result: result, now: now)
                    results.append(result)
                }
            }
            try db.execute(sql: "UPDATE devices SET last_sync_at = ?, queued_ops = ?, oldest_queued_at = ? WHERE id = ?",
                           arguments: [Timestamp.string(from: now), queued, oldestQueuedAt, device.deviceId])
            // A retired device with nothing left beyond this batch is told to wipe; committing that
            // with the batch means a later refusal of its token never hides unsaved work.
            if device.isRetired && (queued ?? 0) == 0 {
                try db.execute(sql: "UPDATE devices SET wiped_at = ? WHERE id = ?", arguments: [Timestamp.string(from: now), device.deviceId])
            }
            return results
        }
    }

    static func record(_ db: Database, op: SyncOp, device: DeviceAuth, result: OpResult, now: Date) throws {
        try db.execute(sql: "INSERT INTO applied_ops (op_id, device_id, status, code, reason, applied_at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [op.id, device.deviceId, result.status.rawValue, result.code, result.reason, Timestamp.string(from: now)])
    }

    static func apply(_ op: SyncOp, from device: DeviceAuth, db: Database, now: Date) throws {
        guard let kind = OpKind(rawValue: op.kind) else { return }
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM dossiers WHERE id = ?", arguments: [op.dossierId]) else {
            throw HomeshoreError("unknown_dossier", "The dossier \(op.dossierId.prefix(40)) does not exist on the hub.")
        }
        let reference: String = row["reference"]
        var flag: String?
        if (row["assigned_agent_id"] as Int64?) != device.agentId {
            let heldBefore = try Int.fetchOne(db, sql: "SELECT 1 FROM scope_exits WHERE dossier_id = ? AND agent_id = ? LIMIT 1",
                                              arguments: [op.dossierId, device.agentId]) != nil
            if heldBefore {
                // Recorded while the agent still held it: the work happened, so keep it, and tell supervisors.
                flag = "reassigned"
            } else if try isInbound(kind, dossier: row, agentId: device.agentId, db: db) {
                // A call or note on a dossier of the agent's portfolios, looked up for an inbound call.
                flag = "inbound"
            } else {
                throw HomeshoreError("not_in_scope", "The dossier \(reference) is not assigned to you.")
            }
        }
        var payload = op.payload
        if let at = payload.at { payload.at = Timestamp.canonical(at) }
        try checkCollectionWork(kind: kind, payload: payload, dossier: row, db: db)
        let recordedAt = Timestamp.canonical(op.recordedAt)
        _ = try insertEvent(db, id: op.id, dossierId: op.dossierId, kind: kind.rawValue, agent: device.login,
                            deviceId: device.deviceId, clientTime: kind == .call ? (payload.at ?? recordedAt) : recordedAt,
                            payload: payload, flag: flag, now: now)

        if kind == .call {
            try Self.recordCompliance(db, eventId: op.id, dossier: row, at: payload.at ?? op.recordedAt)
            // A laptop clock running ahead cannot count a call on a day still to come.
            let madeAt = min(Timestamp.parse(payload.at ?? op.recordedAt) ?? now, now)
            try Self.countCall(db, payload: payload, at: Timestamp.string(from: madeAt), agent: device.login, dossier: row)
        }
        var dossier = dossier(from: row)
        let stamp = op.hlc
        // A promise made offline on Monday counts Tuesday's payment even if it syncs on Wednesday;
        // a laptop clock running ahead cannot date work in the future.
        let madeAt = min(Timestamp.parse(op.recordedAt) ?? now, now)
        func lastWriterWins(_ field: String, _ apply: (inout DossierRecord) -> Void) {
            // The hub stores no stamp beyond the bound; one stored before it did is bogus and loses.
            if let current = dossier.fieldClocks[field], let known = HLCStamp(current), !known.isBeyondBound(now: now),
               let incoming = HLCStamp(stamp), incoming <= known { return }
            apply(&dossier)
            dossier.fieldClocks[field] = stamp
        }
        switch kind {
        case .call:
            if payload.outcome == OutcomeCode.promise.rawValue {
                try insertPromise(db, id: op.id + "-promise", dossierId: op.dossierId, amount: payload.amount ?? 0,
                                  due: payload.due ?? "", agent: device.login, graceDays: try policy(db, portfolio: row["portfolio"]).graceDays, now: madeAt)
                try countPromiseMade(db, amount: payload.amount ?? 0, madeAt: madeAt, agent: device.login, dossier: row)
            }
        case .note:
            break
        case .promise:
            try insertPromise(db, id: op.id, dossierId: op.dossierId, amount: payload.amount ?? 0, due: payload.due ?? "",
                              agent: device.login, graceDays: try policy(db, portfolio: row["portfolio"]).graceDays, now: madeAt)
            try countPromiseMade(db, amount: payload.amount ?? 0, madeAt: madeAt, agent: device.login, dossier: row)
        case .plan:
            try insertPlan(db, id: op.id, dossierId: op.dossierId, payload: payload, agent: device.login,
                           portfolio: row["portfolio"], now: madeAt)
            let total = try Int64.fetchOne(db, sql: "SELECT SUM(amount) FROM promises WHERE plan_id = ?", arguments: [op.id]) ?? 0
            try countPromiseMade(db, amount: total, madeAt: madeAt, agent: device.login, dossier: row)
        case .dispute:
            try db.execute(sql: "INSERT INTO disputes (id, dossier_id, reason, note, agent, opened_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [op.id, op.dossierId, payload.reason, payload.text, device.login, Timestamp.string(from: madeAt)])
            let day = AgencyCalendar.day(of: madeAt)
            try addMetrics(db, MetricKey(day: day, agent: device.login, portfolio: row["portfolio"], currency: row["currency"]), [.disputes: 1])
            try addDisputeMetric(db, day: day, agent: device.login, portfolio: row["portfolio"], reason: payload.reason ?? DisputeReason.other.rawValue,
                                 column: "opened")
        case .contact:
            if let phone = payload.phone { lastWriterWins("phone") { $0.phone = phone } }
            if let email = payload.email { lastWriterWins("email") { $0.email = email } }
            if let address = payload.address { lastWriterWins("address") { $0.address = address } }
        case .callback:
            lastWriterWins("next_callback") { $0.nextCallback = payload.at }
        }
        let clocks = String(decoding: try JSONEncoder.sorted.encode(dossier.fieldClocks), as: UTF8.self)
        try db.execute(sql: """
            UPDATE dossiers SET phone = ?, email = ?, address = ?, next_callback = ?, field_clocks = ? WHERE id = ?
            """, arguments: [dossier.phone, dossier.email, dossier.address, dossier.nextCallback, clocks, dossier.id])
        try settle(db, dossierId: op.dossierId, now: now)
    }

    public func pull(agentId: Int64, after cursor: Int64, limit: Int) async throws -> PullPage {
        try await pool.read { db in
            let changed = try Row.fetchAll(db, sql: Self.dossierSelect + """
                 WHERE d.assigned_agent_id = ? AND d.last_seq > ? ORDER BY d.last_seq LIMIT ?
                """, arguments: [agentId, cursor, limit + 1])
            let exits = try Row.fetchAll(db, sql: """
                SELECT dossier_id, seq FROM scope_exits WHERE agent_id = ? AND seq > ? ORDER BY seq LIMIT ?
                """, arguments: [agentId, cursor, limit + 1])
            let policies = try Row.fetchAll(db, sql: """
                SELECT name, last_seq FROM portfolios WHERE last_seq > ?
                AND name IN (SELECT DISTINCT portfolio FROM dossiers WHERE assigned_agent_id = ?) ORDER BY last_seq LIMIT ?
                """, arguments: [cursor, agentId, limit + 1])
            // The three lists are ordered by sequence; take the first `limit` items of their merge.
            enum Item { case upsert(Row), removal(String), portfolio(String) }
            var items: [(seq: Int64, item: Item)] = changed.map { ($0["last_seq"], .upsert($0)) }
                + exits.map { ($0["seq"], .removal($0["dossier_id"])) }
                + policies.map { ($0["last_seq"], .portfolio($0["name"])) }
            items.sort { $0.seq < $1.seq }
            let more = items.count > limit
            items = Array(items.prefix(limit))
            var page = PullPage(removals: [], upserts: [], portfolios: [], cursor: items.last?.seq ?? cursor, more: more)
            var portfolioNames = Set<String>()
            for (_, item) in items {
                switch item {
                case .removal(let id):
                    page.removals.append(id)
                case .portfolio(let name):
                    portfolioNames.insert(name)
                case .upsert(let row):
                    let whole = (row["assigned_seq"] as Int64? ?? 0) > cursor
                    let dossier = try Self.fullDossier(db, row)
                    let events = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE dossier_id = ? AND seq > ? ORDER BY seq",
                                                  arguments: [dossier.id, whole ? 0 : cursor]).map(Self.event(from:))
                    page.upserts.append(DossierChange(dossier: dossier, events: events, whole: whole))
                    // A dossier from a portfolio new to this laptop brings that portfolio's policy and scripts.
                    if whole { portfolioNames.insert(dossier.portfolio) }
                }
            }
            page.portfolios = try portfolioNames.sorted().compactMap { try Self.portfolioRecord(db, name: $0) }
            return page
        }
    }

    public func housekeeping(agentId: Int64, now: Date) async throws {
        let today = AgencyCalendar.day(of: now)
        // Read first: most syncs find nothing due and must not queue behind other writers.
        let (due, expired) = try await pool.read { db in
            try Self.upkeepDue(db, agentId: agentId, today: today, now: now)
        }
        guard !due.isEmpty || !expired.isEmpty else { return }
        try await pool.write { db in
            let (due, expired) = try Self.upkeepDue(db, agentId: agentId, today: today, now: now)
            for dossierId in due { try Self.settle(db, dossierId: dossierId, now: now) }
            for dossierId in expired { try Self.reassign(db, dossierId: dossierId, from: agentId, to: nil, now: now) }
        }
    }

    /// Dossiers of the agent with a promise whose grace may have ended, and closed ones past retention.
    static func upkeepDue(_ db: Database, agentId: Int64, today: String, now: Date) throws -> (due: [String], expired: [String]) {
        let due = try String.fetchAll(db, sql: """
            SELECT DISTINCT p.dossier_id FROM promises p JOIN dossiers d ON d.id = p.dossier_id
            WHERE d.assigned_agent_id = ? AND p.state = 'active' AND p.due_date < ?
            """, arguments: [agentId, today]).filter { dossierId in
            // The query is a cheap superset; settle only where a grace period really ended.
            try Row.fetchAll(db, sql: "SELECT due_date, grace_days FROM promises WHERE dossier_id = ? AND state = 'active'", arguments: [dossierId])
                .contains { (CalendarDate.adding(days: $0["grace_days"], to: $0["due_date"]) ?? today) < today }
        }
        let expired = try Row.fetchAll(db, sql: """
            SELECT d.id, d.closed_at, p.retention_days FROM dossiers d JOIN portfolios p ON p.name = d.portfolio
            WHERE d.assigned_agent_id = ? AND d.closed_at IS NOT NULL
            """, arguments: [agentId]).compactMap { row -> String? in
            let retention: Int = row["retention_days"]
            guard let closedAt = Timestamp.parse(row["closed_at"]), now.timeIntervalSince(closedAt) > Double(retention) * 86_400 else { return nil }
            return row["id"]
        }
        return (due, expired)
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
