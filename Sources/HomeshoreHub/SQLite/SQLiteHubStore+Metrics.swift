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

    /// Adds many changes at once: one upsert per rollup row they move, its changes summed first.
    static func addMetrics(_ db: Database, _ changes: [(key: MetricKey, delta: MetricDelta)]) throws {
        var order: [MetricKey] = []
        var sums: [MetricKey: MetricDelta] = [:]
        for (key, delta) in changes {
            if sums[key] == nil { order.append(key) }
            for (column, value) in delta { sums[key, default: [:]][column, default: 0] += value }
        }
        for key in order { try addMetrics(db, key, sums[key] ?? [:]) }
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

    /// A dossier paid in full within 30 days of its placement counts once, on its placement day. It
    /// was paid in full on the day the debtor made the last payment (whenever the bank file came);
    /// a claim written down to nothing without a payment was not collected.
    static func solvedContribution(status: DossierStatus, payments: [PaymentRecord], placedAt: String) -> Int64 {
        guard status == .paid, let paidOn = payments.map(\.paidOn).max(), let paid = CalendarDate.dayNumber(paidOn),
              let placed = agencyDay(placedAt).flatMap(CalendarDate.dayNumber) else { return 0 }
        return paid - placed <= 30 ? 1 : 0
    }
}
