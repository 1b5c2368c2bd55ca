import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// Merges a device's batch in one transaction. What every op needs is read once for the batch
    /// (`MergeBatch`), each op is checked whole before it writes anything, so only an op that can
    /// still fail after its first write (a plan) pays for a savepoint, and the applied-op rows and the
    /// settling of the touched dossiers are written once at the end. A refused op is recorded and
    /// the others go on; any other failure rolls the whole batch back.
    public func push(_ ops: [SyncOp], from device: DeviceAuth, queued: Int?, oldestQueuedAt: String?, now: Date) async throws -> [OpResult] {
        try await pool.write { db in
            var results: [OpResult] = []
            let batch = try MergeBatch(db, ops: ops)
            // A device's ops apply in the order it recorded them, whatever order the batch lists them in.
            for op in ops.sorted(by: { $0.deviceSeq < $1.deviceSeq }) {
                if let prior = batch.priors[op.id] {
                    guard prior.deviceId == device.deviceId else {
                        results.append(OpResult(id: op.id, status: .rejected, code: "op_id_reused", reason: "Another device already sent an op with this id."))
                        continue
                    }
                    results.append(prior.status == .rejected
                        ? OpResult(id: op.id, status: .rejected, code: prior.code, reason: prior.reason)
                        : OpResult(id: op.id, status: .duplicate))
                    continue
                }
                let result: OpResult
                do {
                    try OpValidation.validate(op)
                    let admitted = try OpAdmission.admit(op, from: device, now: now)
                    let checked = try Self.check(admitted, from: device, batch: batch)
                    if checked?.kind == .plan {
                        try db.inSavepoint {
                            try Self.write(checked, from: device, batch: batch, db: db, now: now)
                            return .commit
                        }
                    } else {
                        try MidOpFailure.wrapping { try Self.write(checked, from: device, batch: batch, db: db, now: now) }
                    }
                    result = OpResult(id: op.id, status: .applied)
                } catch let error as HomeshoreError {
                    result = OpResult(id: op.id, status: .rejected, code: error.code, reason: error.message)
                }
                batch.decide(op, device: device, result: result, now: now)
                results.append(result)
            }
            try batch.writeDecided()
            try Self.settle(db, touched: batch.toSettle, now: now)
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

    /// The dossiers the batch's ops may have moved, settled together once every op is merged: the
    /// ops of one batch share one `now`, and settling re-derives from the work, so once at the end
    /// ends where settling after each op would.
    static func settle(_ db: Database, touched: [String], now: Date) throws {
        guard !touched.isEmpty else { return }
        try settle(db, dossierIds: touched, now: now)
    }

    /// An op checked against the hub's state and ready to write: every refusal it can meet has
    /// been met (a plan's schedule aside, checked while it is written).
    struct CheckedOp {
        var op: SyncOp
        var kind: OpKind
        var payload: OpPayload
        var dossier: Row
        var flag: String?
        var contactPolicy: ContactPolicy?
    }

    /// Everything that can refuse an op, before it writes. It reads the dossier's row and, where
    /// the op can change them, its own work: nothing of other dossiers, so its cost does not grow
    /// with the scope.
    static func check(_ op: SyncOp, from device: DeviceAuth, batch: MergeBatch) throws -> CheckedOp? {
        guard let kind = OpKind(rawValue: op.kind) else { return nil }
        let db = batch.database
        guard let row = try batch.dossier(op.dossierId) else {
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
        // Read here: a portfolio's rules that cannot be read refuse the call before it writes.
        let policy = kind == .call ? try batch.contactPolicy(portfolio: row["portfolio"]) : nil
        return CheckedOp(op: op, kind: kind, payload: payload, dossier: row, flag: flag, contactPolicy: policy)
    }

    /// Writes a checked op: its event, the rows it changes and the rollups it moves; the dossier is
    /// settled with the batch's others afterwards.
    static func write(_ checked: CheckedOp?, from device: DeviceAuth, batch: MergeBatch, db: Database, now: Date) throws {
        guard let checked else { return }
        let op = checked.op, kind = checked.kind, payload = checked.payload, row = checked.dossier
        let recordedAt = Timestamp.canonical(op.recordedAt)
        _ = try insertEvent(db, id: op.id, dossierId: op.dossierId, kind: kind.rawValue, agent: device.login,
                            deviceId: device.deviceId, clientTime: kind == .call ? (payload.at ?? recordedAt) : recordedAt,
                            payload: payload, flag: checked.flag, now: now)

        if kind == .call {
            if let policy = checked.contactPolicy {
                try Self.recordCompliance(db, eventId: op.id, dossier: row, at: payload.at ?? op.recordedAt, policy: policy)
            }
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
                batch.rewrote(op.dossierId)
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
            if try mergeFields(kind: kind, payload: payload, stamp: op.hlc, dossier: row, db: db, now: now) {
                batch.rewrote(op.dossierId)
            }
        }
        if try needsSettling(kind, dossier: row) {
            // Settling rewrites the row too, but only at the end of the batch, after every op read it.
            batch.settleLater(op.dossierId)
        }
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
    /// Returns whether a field moved (the dossier's row changed).
    @discardableResult
    static func mergeFields(kind: OpKind, payload: OpPayload, stamp: String, dossier row: Row, db: Database, now: Date) throws -> Bool {
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
        guard moved else { return false }
        let clocks = String(decoding: try JSONEncoder.sorted.encode(dossier.fieldClocks), as: UTF8.self)
        try db.cachedStatement(sql: "UPDATE dossiers SET phone = ?, email = ?, address = ?, next_callback = ?, field_clocks = ? WHERE id = ?")
            .execute(arguments: [dossier.phone, dossier.email, dossier.address, dossier.nextCallback, clocks, dossier.id])
        return true
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
