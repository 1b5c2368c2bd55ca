import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// Refusals that need the dossier's state: what the op's shape alone cannot tell.
    static func checkCollectionWork(kind: OpKind, payload: OpPayload, dossier row: Row, db: Database) throws {
        let reference: String = row["reference"]
        let balance: Int64 = row["balance"]
        let currency: String = row["currency"]
        let closed = (row["closed_reason"] as String?) != nil || balance <= 0
        let makesPromise = kind == .promise || kind == .plan || (kind == .call && payload.outcome == OutcomeCode.promise.rawValue)
        if makesPromise {
            guard !closed else { throw HomeshoreError("dossier_closed", "The dossier \(reference) is closed; it takes no promise.") }
            let total = (payload.amount ?? 0) * Int64(kind == .plan ? (payload.instalments ?? 1) : 1)
            guard total <= balance else {
                throw HomeshoreError("above_balance", "\(kind == .plan ? "The plan's instalments add up to" : "The promise of") \(Money.format(total, currency: currency)) \(currency), more than the balance of \(Money.format(balance, currency: currency)) \(currency) on \(reference).")
            }
        }
        let dossierId: String = row["id"]
        if kind == .plan, try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM plans WHERE dossier_id = ? AND state IN ('on-track', 'late')"), arguments: [dossierId]) != nil {
            throw HomeshoreError("plan_exists", "The dossier \(reference) already has a running plan.")
        }
        if kind == .dispute, try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM disputes WHERE dossier_id = ? AND state = 'open'"), arguments: [dossierId]) != nil {
            throw HomeshoreError("already_disputed", "The dossier \(reference) already has an open dispute.")
        }
    }

    static func policy(_ db: Database, portfolio: String) throws -> (graceDays: Int, missedLimit: Int) {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT grace_days, plan_missed_limit FROM portfolios WHERE name = ?"), arguments: [portfolio])
        return (row?["grace_days"] ?? 3, row?["plan_missed_limit"] ?? 2)
    }

    static func insertPromise(_ db: Database, id: String, dossierId: String, amount: Int64, due: String, agent: String?,
                              graceDays: Int, planId: String? = nil, instalment: Int? = nil, now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO promises (id, dossier_id, plan_id, instalment, amount, due_date, grace_days, agent, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, dossierId, planId, instalment, amount, due, graceDays, agent,
                             Timestamp.string(from: now)])
    }

    static func insertPlan(_ db: Database, id: String, dossierId: String, payload: OpPayload, agent: String?, portfolio: String, now: Date) throws {
        guard let step = payload.every.flatMap(InstalmentSchedule.Step.init), let first = payload.due, let count = payload.instalments,
              let amount = payload.amount, let dates = InstalmentSchedule.dates(first: first, count: count, every: step)
        else { throw HomeshoreError("invalid_plan", "The plan is incomplete.") }
        let policy = try policy(db, portfolio: portfolio)
        try db.execute(sql: """
            INSERT INTO plans (id, dossier_id, instalments, amount, first_date, every, state, missed_limit, agent, created_at)
            VALUES (?, ?, ?, ?, ?, ?, 'on-track', ?, ?, ?)
            """, arguments: [id, dossierId, count, amount, first, step.rawValue, policy.missedLimit, agent,
                             Timestamp.string(from: now)])
        for (index, due) in dates.enumerated() {
            try insertPromise(db, id: "\(id)-\(index + 1)", dossierId: dossierId, amount: amount, due: due, agent: agent,
                              graceDays: policy.graceDays, planId: id, instalment: index + 1, now: now)
        }
    }
}
