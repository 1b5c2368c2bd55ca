import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    static func loadWork(_ db: Database, dossierId: String) throws -> DossierWork {
        try loadWork(db, dossierIds: [dossierId])[dossierId] ?? DossierWork()
    }

    /// The settled work of several dossiers: four statements whatever their number (a pull page).
    static func loadWork(_ db: Database, dossierIds: [String]) throws -> [String: DossierWork] {
        guard !dossierIds.isEmpty else { return [:] }
        let ids = try idList(dossierIds)
        var work: [String: DossierWork] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM promises WHERE dossier_id IN (SELECT value FROM json_each(?)) ORDER BY dossier_id, due_date, created_at, id
            """), arguments: [ids]) {
            work[row["dossier_id"], default: DossierWork()].promises.append(PromiseRecord(
                id: row["id"], amount: row["amount"], paid: row["paid"], due: row["due_date"], graceDays: row["grace_days"],
                state: PromiseState(rawValue: row["state"]) ?? .active, planId: row["plan_id"], instalment: row["instalment"],
                agent: row["agent"], createdAt: row["created_at"], settledAt: row["settled_at"]))
        }
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM plans WHERE dossier_id IN (SELECT value FROM json_each(?)) ORDER BY dossier_id, created_at, id
            """), arguments: [ids]) {
            work[row["dossier_id"], default: DossierWork()].plans.append(PlanRecord(
                id: row["id"], instalments: row["instalments"], amount: row["amount"], first: row["first_date"], every: row["every"],
                state: PlanState(rawValue: row["state"]) ?? .onTrack, missedLimit: row["missed_limit"], agent: row["agent"],
                createdAt: row["created_at"]))
        }
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM disputes WHERE dossier_id IN (SELECT value FROM json_each(?)) ORDER BY dossier_id, opened_at, id
            """), arguments: [ids]) {
            work[row["dossier_id"], default: DossierWork()].disputes.append(DisputeRecord(
                id: row["id"], reason: DisputeReason(rawValue: row["reason"]) ?? .other, note: row["note"],
                state: DisputeState(rawValue: row["state"]) ?? .open, agent: row["agent"], openedAt: row["opened_at"],
                resolvedAt: row["resolved_at"], adjustedAmount: row["adjusted_amount"]))
        }
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM payments WHERE dossier_id IN (SELECT value FROM json_each(?)) ORDER BY dossier_id, paid_on, id
            """), arguments: [ids]) {
            work[row["dossier_id"], default: DossierWork()].payments.append(PaymentRecord(
                id: row["id"], amount: row["amount"], paidOn: row["paid_on"], importedAt: row["imported_at"]))
        }
        return work
    }

    /// The dossier as clients see it: its row plus its settled work.
    static func fullDossier(_ db: Database, _ row: Row) throws -> DossierRecord {
        var dossier = dossier(from: row)
        dossier.work = try loadWork(db, dossierId: dossier.id)
        return dossier
    }

    /// Re-derives promise and plan states from the payments and the calendar, then the dossier's
    /// status, its priority and when it next needs upkeep. Idempotent: re-importing a payment or
    /// settling twice changes nothing. Every change is written, takes a sequence number and leaves an
    /// event, so agents see the hub's decision. It reads the dossier and its own work only.
    @discardableResult
    static func settle(_ db: Database, dossierId: String, now: Date) throws -> Bool {
        let today = AgencyCalendar.day(of: now)
        let work = try loadWork(db, dossierId: dossierId)
        let ledger = PromiseLedger.settle(promises: work.promises, plans: work.plans, payments: work.payments, today: today)
        // One read of the dossier serves the figures, the status, the priority and the upkeep.
        guard let place = try Row.fetchOne(db.cachedStatement(sql: dossierSelect + " WHERE d.id = ?"), arguments: [dossierId]) else { return false }
        try countSettledPromises(db, old: work.promises, new: ledger.promises, portfolio: place["portfolio"], currency: place["currency"])
        try creditPayments(db, promises: ledger.promises, payments: work.payments, portfolio: place["portfolio"], currency: place["currency"])
        var changed = false
        let stamp = Timestamp.string(from: now)
        for (old, new) in zip(work.promises, ledger.promises) where old != new {
            try db.cachedStatement(sql: "UPDATE promises SET paid = ?, state = ?, settled_at = ? WHERE id = ?").execute(
                arguments: [new.paid, new.state.rawValue, new.state == .active ? nil : (old.state == new.state ? old.settledAt : stamp), new.id])
            if old.state != new.state {
                let what = new.planId == nil ? "promise" : "instalment \(new.instalment ?? 0)"
                _ = try insertEvent(db, id: UUID().uuidString.lowercased(), dossierId: dossierId, kind: "promise-\(new.state.rawValue)",
                                    agent: new.agent, deviceId: nil, clientTime: nil,
                                    payload: OpPayload(text: "\(what) due \(new.due): \(new.state.rawValue)", amount: new.amount, due: new.due),
                                    flag: nil, now: now)
            }
            changed = true
        }
        for (old, new) in zip(work.plans, ledger.plans) where old.state != new.state {
            try db.cachedStatement(sql: "UPDATE plans SET state = ? WHERE id = ?").execute(arguments: [new.state.rawValue, new.id])
            _ = try insertEvent(db, id: UUID().uuidString.lowercased(), dossierId: dossierId, kind: "plan-\(new.state.rawValue)",
                                agent: new.agent, deviceId: nil, clientTime: nil,
                                payload: OpPayload(text: "plan of \(new.instalments) instalments: \(new.state.rawValue)"), flag: nil, now: now)
            changed = true
        }
        let settled = DossierWork(promises: ledger.promises, plans: ledger.plans, disputes: work.disputes, payments: work.payments)
        let status = try refreshStatus(db, dossierId: dossierId, row: place, work: settled, now: now)
        if status.changed { changed = true }
        if changed { try touch(db, dossierId: dossierId, now: now) }
        var dossier = dossier(from: place)
        dossier.work = settled
        try refreshPriority(db, dossier: dossier, now: now)
        try refreshUpkeep(db, dossierId: dossierId, row: place, work: settled, closedAt: status.closedAt)
        return changed
    }

    /// The hand-out order (hub-internal: clients rank their own replica with the same formula).
    static func refreshPriority(_ db: Database, dossier: DossierRecord, now: Date) throws {
        let lastContact = try String.fetchOne(db.cachedStatement(sql: """
            SELECT MAX(client_time) FROM events WHERE dossier_id = ? AND kind = 'call'
            """), arguments: [dossier.id]).flatMap(Timestamp.parse)
        let priority = Priority.score(Priority.Input.from(dossier: dossier, lastContact: lastContact, now: now), now: now).value
        try db.cachedStatement(sql: "UPDATE dossiers SET priority = ? WHERE id = ? AND priority != ?").execute(arguments: [priority, dossier.id, priority])
    }

    /// Keeps `upkeep_at` (see `Upkeep`) in step with the settled work, written only when it moves.
    static func refreshUpkeep(_ db: Database, dossierId: String, row: Row, work: DossierWork, closedAt: String?) throws {
        // The retention period matters only once the dossier is closed.
        let retention = closedAt == nil ? 0 : try Int.fetchOne(db.cachedStatement(sql: "SELECT retention_days FROM portfolios WHERE name = ?"),
                                                                arguments: [row["portfolio"] as String]) ?? 30
        let due = Upkeep.dueAt(activePromises: work.activePromises.map { ($0.due, $0.graceDays) }, closedAt: closedAt, retentionDays: retention)
        let upkeep = due.map(Timestamp.string(from:))
        guard upkeep != (row["upkeep_at"] as String?) else { return }
        try db.cachedStatement(sql: "UPDATE dossiers SET upkeep_at = ? WHERE id = ?").execute(arguments: [upkeep, dossierId])
    }

    /// Sets the derived status; a dossier whose balance reached zero is closed as `paid` from now on.
    /// Returns whether the status changed, and the dossier's `closed_at` after it.
    @discardableResult
    static func refreshStatus(_ db: Database, dossierId: String, row: Row, work: DossierWork, now: Date) throws -> (changed: Bool, closedAt: String?) {
        let worked = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM events WHERE dossier_id = ? AND kind IN ('call', 'note') LIMIT 1
            """), arguments: [dossierId]) != nil
        let balance: Int64 = row["balance"]
        let closedReason: String? = row["closed_reason"]
        let status = DossierStatus.derive(balance: balance, closed: closedReason != nil, work: work, worked: worked)
        var closedAt: String? = row["closed_at"]
        if status == .paid || status == .closed {
            closedAt = closedAt ?? Timestamp.string(from: now)
        } else {
            closedAt = nil
        }
        // What the dossier counts for "solved within 30 days" is kept on it, so a late bank file that
        // changes the answer moves the figure by the difference.
        let placedAt: String = row["placed_at"]
        let solved = solvedContribution(status: status, payments: work.payments, placedAt: placedAt)
        let counted: Int64 = row["solved_30d"]
        if solved != counted {
            try db.cachedStatement(sql: "UPDATE dossiers SET solved_30d = ? WHERE id = ?").execute(arguments: [solved, dossierId])
            if let day = agencyDay(placedAt) {
                try addMetrics(db, MetricKey(day: day, agent: nil, portfolio: row["portfolio"], currency: row["currency"]), [.solved30d: solved - counted])
            }
        }
        guard status.rawValue != (row["status"] as String) || closedAt != (row["closed_at"] as String?) else { return (false, closedAt) }
        try db.cachedStatement(sql: "UPDATE dossiers SET status = ?, closed_at = ? WHERE id = ?").execute(arguments: [status.rawValue, closedAt, dossierId])
        return (true, closedAt)
    }

    /// A change without a new event still moves the dossier past every agent's cursor.
    static func touch(_ db: Database, dossierId: String, now: Date) throws {
        try db.cachedStatement(sql: "UPDATE dossiers SET last_seq = ?, updated_at = ? WHERE id = ?")
            .execute(arguments: [try nextSeq(db), Timestamp.string(from: now), dossierId])
    }
}
