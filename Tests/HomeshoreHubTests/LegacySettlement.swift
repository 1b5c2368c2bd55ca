import Foundation
import GRDB
import HomeshoreCore
@testable import HomeshoreHub

/// Settling one dossier as the hub did before settlement was batched (issue 10): a statement or more
/// per promise, payment and figure. Kept as the reference the batched settlement must equal.
enum LegacySettlement {
    @discardableResult
    static func settle(_ db: Database, dossierId: String, now: Date) throws -> Bool {
        let today = AgencyCalendar.day(of: now)
        let work = try SQLiteHubStore.loadWork(db, dossierId: dossierId)
        let ledger = PromiseLedger.settle(promises: work.promises, plans: work.plans, payments: work.payments, today: today)
        // One read of the dossier serves the figures, the status, the priority and the upkeep.
        guard let place = try Row.fetchOne(db.cachedStatement(sql: SQLiteHubStore.dossierSelect + " WHERE d.id = ?"), arguments: [dossierId]) else { return false }
        try countSettledPromises(db, old: work.promises, new: ledger.promises, portfolio: place["portfolio"], currency: place["currency"])
        try creditPayments(db, promises: ledger.promises, payments: work.payments, portfolio: place["portfolio"], currency: place["currency"])
        var changed = false
        let stamp = Timestamp.string(from: now)
        for (old, new) in zip(work.promises, ledger.promises) where old != new {
            try db.cachedStatement(sql: "UPDATE promises SET paid = ?, state = ?, settled_at = ? WHERE id = ?").execute(
                arguments: [new.paid, new.state.rawValue, new.state == .active ? nil : (old.state == new.state ? old.settledAt : stamp), new.id])
            if old.state != new.state {
                let what = new.planId == nil ? "promise" : "instalment \(new.instalment ?? 0)"
                _ = try SQLiteHubStore.insertEvent(db, id: UUID().uuidString.lowercased(), dossierId: dossierId, kind: "promise-\(new.state.rawValue)",
                                    agent: new.agent, deviceId: nil, clientTime: nil,
                                    payload: OpPayload(text: "\(what) due \(new.due): \(new.state.rawValue)", amount: new.amount, due: new.due),
                                    flag: nil, now: now)
            }
            changed = true
        }
        for (old, new) in zip(work.plans, ledger.plans) where old.state != new.state {
            try db.cachedStatement(sql: "UPDATE plans SET state = ? WHERE id = ?").execute(arguments: [new.state.rawValue, new.id])
            _ = try SQLiteHubStore.insertEvent(db, id: UUID().uuidString.lowercased(), dossierId: dossierId, kind: "plan-\(new.state.rawValue)",
                                agent: new.agent, deviceId: nil, clientTime: nil,
                                payload: OpPayload(text: "plan of \(new.instalments) instalments: \(new.state.rawValue)"), flag: nil, now: now)
            changed = true
        }
        let settled = DossierWork(promises: ledger.promises, plans: ledger.plans, disputes: work.disputes, payments: work.payments)
        let status = try refreshStatus(db, dossierId: dossierId, row: place, work: settled, now: now)
        if status.changed { changed = true }
        if changed { try touch(db, dossierId: dossierId, now: now) }
        var dossier = SQLiteHubStore.dossier(from: place)
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
        let solved = SQLiteHubStore.solvedContribution(status: status, payments: work.payments, placedAt: placedAt)
        let counted: Int64 = row["solved_30d"]
        if solved != counted {
            try db.cachedStatement(sql: "UPDATE dossiers SET solved_30d = ? WHERE id = ?").execute(arguments: [solved, dossierId])
            if let day = SQLiteHubStore.agencyDay(placedAt) {
                try SQLiteHubStore.addMetrics(db, MetricKey(day: day, agent: nil, portfolio: row["portfolio"], currency: row["currency"]), [.solved30d: solved - counted])
            }
        }
        guard status.rawValue != (row["status"] as String) || closedAt != (row["closed_at"] as String?) else { return (false, closedAt) }
        try db.cachedStatement(sql: "UPDATE dossiers SET status = ?, closed_at = ? WHERE id = ?").execute(arguments: [status.rawValue, closedAt, dossierId])
        return (true, closedAt)
    }

    /// A change without a new event still moves the dossier past every agent's cursor.
    static func touch(_ db: Database, dossierId: String, now: Date) throws {
        try db.cachedStatement(sql: "UPDATE dossiers SET last_seq = ?, updated_at = ? WHERE id = ?")
            .execute(arguments: [try SQLiteHubStore.nextSeq(db), Timestamp.string(from: now), dossierId])
    }
    /// Moves the figures of promises whose state or paid amount the ledger changed.
    static func countSettledPromises(_ db: Database, old: [PromiseRecord], new: [PromiseRecord], portfolio: String, currency: String) throws {
        for (before, after) in zip(old, new) where before != after {
            let delta = SQLiteHubStore.difference(SQLiteHubStore.dueContribution(after), SQLiteHubStore.dueContribution(before))
            guard !delta.isEmpty else { continue }
            try SQLiteHubStore.addMetrics(db, MetricKey(day: after.due, agent: after.agent, portfolio: portfolio, currency: currency), delta)
        }
    }

    /// Re-credits the dossier's payments after settling: each part that kept a promise goes to the
    /// agent who obtained it, the rest to no agent, on the day the debtor paid.
    static func creditPayments(_ db: Database, promises: [PromiseRecord], payments: [PaymentRecord], portfolio: String, currency: String) throws {
        guard !payments.isEmpty else { return }
        let paidOn = Dictionary(payments.map { ($0.id, $0.paidOn) }, uniquingKeysWith: { first, _ in first })
        struct Credit: Equatable { var agent: String?; var amount: Int64 }
        var new: [String: [String: Credit]] = [:]
        for share in PromiseLedger.allocate(promises: promises, payments: payments) {
            new[share.paymentId, default: [:]][share.promiseId ?? "", default: Credit(agent: share.agent, amount: 0)].amount += share.amount
        }
        var old: [String: [String: Credit]] = [:]
        let ids = payments.map(\.id)
        for row in try Row.fetchAll(db, sql: "SELECT * FROM payment_credits WHERE payment_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                                    arguments: StatementArguments(ids)) {
            let agent: String = row["agent"]
            old[row["payment_id"], default: [:]][row["promise_id"]] = Credit(agent: agent.isEmpty ? nil : agent, amount: row["amount"])
        }
        for payment in payments where new[payment.id] != old[payment.id] {
            let before = old[payment.id] ?? [:]
            let after = new[payment.id] ?? [:]
            for promiseId in Set(before.keys).union(after.keys) {
                let change = (after[promiseId]?.amount ?? 0) - (before[promiseId]?.amount ?? 0)
                guard change != 0 else { continue }
                let agent = after[promiseId]?.agent ?? before[promiseId]?.agent
                try SQLiteHubStore.addMetrics(db, MetricKey(day: paidOn[payment.id] ?? payment.paidOn, agent: agent, portfolio: portfolio, currency: currency),
                               [.collected: change])
            }
            try db.execute(sql: "DELETE FROM payment_credits WHERE payment_id = ?", arguments: [payment.id])
            for (promiseId, credit) in after {
                try db.execute(sql: "INSERT INTO payment_credits (payment_id, promise_id, agent, amount) VALUES (?, ?, ?, ?)",
                               arguments: [payment.id, promiseId, credit.agent ?? "", credit.amount])
            }
        }
    }

}
