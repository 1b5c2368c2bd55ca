import Foundation
import GRDB
import HomeshoreCore

/// A rollup column of `metrics_daily`.
enum MetricColumn: String, CaseIterable {
    case attempts, contacts
    case rightParty = "right_party"
    case promisesMade = "promises_made"
    case promisedAmount = "promised_amount"
    case promisesDue = "promises_due"
    case promisesKept = "promises_kept"
    case promisesPartly = "promises_partly"
    case promisesBroken = "promises_broken"
    case dueAmount = "due_amount"
    case duePaid = "due_paid"
    case collected
    case talkSeconds = "talk_seconds"
    case wrapSeconds = "wrap_seconds"
    case disputes, placed
    case placedAmount = "placed_amount"
    case solved30d = "solved_30d"
}

/// Changes to some columns of one rollup row.
typealias MetricDelta = [MetricColumn: Int64]

/// Where a change to the figures is counted: the agency's day, the agent (nil: no agent), the
/// dossier's portfolio and currency.
struct MetricKey: Hashable {
    var day: String
    var agent: String?
    var portfolio: String
    var currency: String
}

extension SQLiteHubStore {
    /// Adds to the rollups in the caller's transaction, so figures move exactly when the data does.
    static func addMetrics(_ db: Database, _ key: MetricKey, _ delta: MetricDelta) throws {
        let columns = MetricColumn.allCases.filter { (delta[$0] ?? 0) != 0 }
        guard !columns.isEmpty else { return }
        let names = columns.map(\.rawValue)
        let sql = """
            INSERT INTO metrics_daily (day, agent, team, portfolio, currency, \(names.joined(separator: ", ")))
            VALUES (?, ?, ?, ?, ?, \(names.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (day, agent, team, portfolio, currency) DO UPDATE SET
            \(names.map { "\($0) = metrics_daily.\($0) + excluded.\($0)" }.joined(separator: ", "))
            """
        var arguments: [(any DatabaseValueConvertible)?] = [key.day, key.agent ?? "", try team(db, of: key.agent), key.portfolio, key.currency]
        arguments += columns.map { delta[$0] ?? 0 }
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments))
    }

    /// A dispute opened or resolved, counted by reason.
    static func addDisputeMetric(_ db: Database, day: String, agent: String?, portfolio: String, reason: String, column: String) throws {
        try db.execute(sql: """
            INSERT INTO metrics_disputes (day, agent, team, portfolio, reason, \(column)) VALUES (?, ?, ?, ?, ?, 1)
            ON CONFLICT (day, agent, team, portfolio, reason) DO UPDATE SET \(column) = metrics_disputes.\(column) + 1
            """, arguments: [day, agent ?? "", try team(db, of: agent), portfolio, reason])
    }

    /// The team the agent is in now: a row keeps the team the work was done in.
    static func team(_ db: Database, of agent: String?) throws -> String {
        guard let agent else { return "" }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT team FROM agents WHERE login = ?"), arguments: [agent]) ?? ""
    }

    static func agencyDay(_ instant: String?) -> String? {
        instant.flatMap(Timestamp.parse).map { AgencyCalendar.day(of: $0) }
    }

    /// A merged call, counted on the day it was made (agency time) whenever it syncs.
    static func countCall(_ db: Database, payload: OpPayload, at: String, agent: String, dossier row: Row) throws {
        guard let day = agencyDay(at) else { return }
        let outcome = payload.outcome.flatMap(OutcomeCode.init)
        try addMetrics(db, MetricKey(day: day, agent: agent, portfolio: row["portfolio"], currency: row["currency"]), [
            .attempts: 1,
            .contacts: outcome?.isContact == true ? 1 : 0,
            .rightParty: outcome?.isRightParty == true ? 1 : 0,
            .talkSeconds: Int64(payload.durationSeconds ?? 0),
            .wrapSeconds: Int64(payload.wrapUpSeconds ?? 0),
        ])
    }

    /// A promise (or a whole plan: one commitment, all its instalments' amount) obtained by an agent.
    static func countPromiseMade(_ db: Database, amount: Int64, madeAt: Date, agent: String, dossier row: Row) throws {
        try addMetrics(db, MetricKey(day: AgencyCalendar.day(of: madeAt), agent: agent, portfolio: row["portfolio"], currency: row["currency"]),
                       [.promisesMade: 1, .promisedAmount: amount])
    }

    /// What a promise adds to the figures of its due day once its fate is decided.
    static func dueContribution(_ promise: PromiseRecord) -> MetricDelta {
        switch promise.state {
        case .kept: [.promisesDue: 1, .promisesKept: 1, .dueAmount: promise.amount, .duePaid: promise.paid]
        case .partlyKept: [.promisesDue: 1, .promisesPartly: 1, .dueAmount: promise.amount, .duePaid: promise.paid]
        case .broken: [.promisesDue: 1, .promisesBroken: 1, .dueAmount: promise.amount, .duePaid: promise.paid]
        case .active, .cancelled: [:]
        }
    }

    static func difference(_ new: MetricDelta, _ old: MetricDelta) -> MetricDelta {
        var delta = new
        for (column, value) in old { delta[column, default: 0] -= value }
        return delta.filter { $0.value != 0 }
    }

    /// Moves the figures of promises whose state or paid amount the ledger changed.
    static func countSettledPromises(_ db: Database, old: [PromiseRecord], new: [PromiseRecord], portfolio: String, currency: String) throws {
        for (before, after) in zip(old, new) where before != after {
            let delta = difference(dueContribution(after), dueContribution(before))
            guard !delta.isEmpty else { continue }
            try addMetrics(db, MetricKey(day: after.due, agent: after.agent, portfolio: portfolio, currency: currency), delta)
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
                try addMetrics(db, MetricKey(day: paidOn[payment.id] ?? payment.paidOn, agent: agent, portfolio: portfolio, currency: currency),
                               [.collected: change])
            }
            try db.execute(sql: "DELETE FROM payment_credits WHERE payment_id = ?", arguments: [payment.id])
            for (promiseId, credit) in after {
                try db.execute(sql: "INSERT INTO payment_credits (payment_id, promise_id, agent, amount) VALUES (?, ?, ?, ?)",
                               arguments: [payment.id, promiseId, credit.agent ?? "", credit.amount])
            }
        }
    }

    /// A dossier paid in full within 30 days of its placement counts once, on its placement day. It
    /// was paid in full on the day the debtor made the last payment (whenever the bank file came);
    /// a claim written down to nothing without a payment was not collected.
    static func solvedContribution(status: DossierStatus, payments: [PaymentRecord], placedAt: String) -> Int64 {
        guard status == .paid, let paidOn = payments.map(\.paidOn).max(), let paid = CalendarDate.dayNumber(paidOn),
              let placed = agencyDay(placedAt).flatMap(CalendarDate.dayNumber) else { return 0 }
        return paid - placed <= 30 ? 1 : 0
    }
}
