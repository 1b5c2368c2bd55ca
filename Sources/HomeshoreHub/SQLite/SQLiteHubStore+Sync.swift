import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    public func push(_ ops: [SyncOp], from device: DeviceAuth, queued: Int?, oldestQueuedAt: String?, now: Date) async throws -> [OpResult] {
        try await pool.write { db in
            var results: [OpResult] = []
            // A device's ops apply in the order it recorded them, whatever order the batch lists them in.
            for op in ops.sorted(by: { $0.deviceSeq < $1.deviceSeq }) {
                if let prior = try Row.fetchOne(db.cachedStatement(sql: "SELECT device_id, status, code, reason FROM applied_ops WHERE op_id = ?"),
                                                arguments: [op.id]) {
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
            try db.cachedStatement(sql: "UPDATE devices SET last_sync_at = ?, queued_ops = ?, oldest_queued_at = ? WHERE id = ?")
                .execute(arguments: [Timestamp.string(from: now), queued, oldestQueuedAt, device.deviceId])
            // A retired device with nothing left beyond this batch is told to wipe; committing that
            // with the batch means a later refusal of its token never hides unsaved work.
            if device.isRetired && (queued ?? 0) == 0 {
                try db.execute(sql: "UPDATE devices SET wiped_at = ? WHERE id = ?", arguments: [Timestamp.string(from: now), device.deviceId])
            }
            return results
        }
    }

    static func record(_ db: Database, op: SyncOp, device: DeviceAuth, result: OpResult, now: Date) throws {
        try db.cachedStatement(sql: "INSERT INTO applied_ops (op_id, device_id, status, code, reason, applied_at) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [op.id, device.deviceId, result.status.rawValue, result.code, result.reason, Timestamp.string(from: now)])
    }

    /// Merges one op. It reads the dossier's row and, where the op can change them, its own work and
    /// recent calls; it writes the event, the rows the op changes and the rollups it moves: nothing of
    /// other dossiers, so its cost does not grow with the scope.
    static func apply(_ op: SyncOp, from device: DeviceAuth, db: Database, now: Date) throws {
        guard let kind = OpKind(rawValue: op.kind) else { return }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM dossiers WHERE id = ?"), arguments: [op.dossierId]) else {
            throw HomeshoreError("unknown_dossier", "The dossier \(op.dossierId.prefix(40)) does not exist on the hub.")
        }
        let reference: String = row["reference"]
        var flag: String?
        if (row["assigned_agent_id"] as Int64?) != device.agentId {
            let heldBefore = try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM scope_exits WHERE dossier_id = ? AND agent_id = ? LIMIT 1"),
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
        // A promise made offline on Monday counts Tuesday's payment even if it syncs on Wednesday;
        // a laptop clock running ahead cannot date work in the future.
        let madeAt = min(Timestamp.parse(op.recordedAt) ?? now, now)
        switch kind {
        case .call:
            if payload.outcome == OutcomeCode.promise.rawValue {
                try insertPromise(db, id: op.id + "-promise", dossierId: op.dossierId, amount: payload.amount ?? 0,
                                  due: payload.due ?? "", agent: device.login, graceDays: try policy(db, portfolio: row["portfolio"]).graceDays, now: madeAt)
                try countPromiseMade(db, amount: payload.amount ?? 0, madeAt: madeAt, agent: device.login, dossier: row)
            }
        case .note:
            // A `new` dossier has no work, a balance and no closing (else it would not be new), so
            // its first note makes it `in-progress` and changes nothing else: no settling needed.
            // The note's event already moved the dossier past every cursor.
            if (row["status"] as String) == DossierStatus.new.rawValue {
                try db.cachedStatement(sql: "UPDATE dossiers SET status = ? WHERE id = ? AND status = ?")
                    .execute(arguments: [DossierStatus.inProgress.rawValue, op.dossierId, DossierStatus.new.rawValue])
            }
        case .promise:
            try insertPromise(db, id: op.id, dossierId: op.dossierId, amount: payload.amount ?? 0, due: payload.due ?? "",
                              agent: device.login, graceDays: try policy(db, portfolio: row["portfolio"]).graceDays, now: madeAt)
            try countPromiseMade(db, amount: payload.amount ?? 0, madeAt: madeAt, agent: device.login, dossier: row)
        case .plan:
            try insertPlan(db, id: op.id, dossierId: op.dossierId, payload: payload, agent: device.login,
                           portfolio: row["portfolio"], now: madeAt)
            let total = try Int64.fetchOne(db.cachedStatement(sql: "SELECT SUM(amount) FROM promises WHERE plan_id = ?"), arguments: [op.id]) ?? 0
            try countPromiseMade(db, amount: total, madeAt: madeAt, agent: device.login, dossier: row)
        case .dispute:
            try db.cachedStatement(sql: "INSERT INTO disputes (id, dossier_id, reason, note, agent, opened_at) VALUES (?, ?, ?, ?, ?, ?)")
                .execute(arguments: [op.id, op.dossierId, payload.reason, payload.text, device.login, Timestamp.string(from: madeAt)])
            let day = AgencyCalendar.day(of: madeAt)
            try addMetrics(db, MetricKey(day: day, agent: device.login, portfolio: row["portfolio"], currency: row["currency"]), [.disputes: 1])
            try addDisputeMetric(db, day: day, agent: device.login, portfolio: row["portfolio"], reason: payload.reason ?? DisputeReason.other.rawValue,
                                 column: "opened")
        case .contact, .callback:
            try mergeFields(kind: kind, payload: payload, stamp: op.hlc, dossier: row, db: db, now: now)
        }
        if try needsSettling(kind, dossier: row) { try settle(db, dossierId: op.dossierId, now: now) }
    }

    /// What the op can change beyond its event. Promises, plans and disputes change the work, hence
    /// the status and the priority; a call moves the last contact (priority) and makes the dossier
    /// worked (status); a callback moves the priority. A note only makes a `new` dossier worked
    /// (done above); contact details change no derived figure. Promises whose grace ended
    /// meanwhile are settled by the housekeeping that follows every push.
    static func needsSettling(_ kind: OpKind, dossier row: Row) throws -> Bool {
        switch kind {
        case .call, .callback, .promise, .plan, .dispute: true
        case .note, .contact: false
        }
    }

    /// Agent-editable fields merge one by one, last writer by hybrid clock wins (DESIGN §4.6).
    static func mergeFields(kind: OpKind, payload: OpPayload, stamp: String, dossier row: Row, db: Database, now: Date) throws {
        var dossier = dossier(from: row)
        var moved = false
        func lastWriterWins(_ field: String, _ apply: (inout DossierRecord) -> Void) {
            // The hub stores no stamp beyond the bound; one stored before it did is bogus and loses.
            if let current = dossier.fieldClocks[field], let known = HLCStamp(current), !known.isBeyondBound(now: now),
               let incoming = HLCStamp(stamp), incoming <= known { return }
            apply(&dossier)
            dossier.fieldClocks[field] = stamp
            moved = true
        }
        if kind == .contact {
            if let phone = payload.phone { lastWriterWins("phone") { $0.phone = phone } }
            if let email = payload.email { lastWriterWins("email") { $0.email = email } }
            if let address = payload.address { lastWriterWins("address") { $0.address = address } }
        } else {
            lastWriterWins("next_callback") { $0.nextCallback = payload.at }
        }
        guard moved else { return }
        let clocks = String(decoding: try JSONEncoder.sorted.encode(dossier.fieldClocks), as: UTF8.self)
        try db.cachedStatement(sql: "UPDATE dossiers SET phone = ?, email = ?, address = ?, next_callback = ?, field_clocks = ? WHERE id = ?")
            .execute(arguments: [dossier.phone, dossier.email, dossier.address, dossier.nextCallback, clocks, dossier.id])
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
