import Foundation
import HomeshoreCore

/// What settling needs of a dossier beyond its work, read for a whole batch at once.
struct SettlingDossier {
    /// Without its work; `status` and `closedAt` as stored.
    var record: DossierRecord
    var closedReason: String?
    var solved30d: Int64
    var upkeepAt: String?
    var priority: Int
    /// Has a call or a note (a dossier never worked is `new`).
    var worked: Bool
    var lastContact: Date?
}

/// How one payment was credited when its dossier was last settled, by promise id ('' = no promise).
struct PaymentCredit: Equatable {
    var agent: String?
    var amount: Int64
}

/// What settling one dossier changes, decided in Swift from what was read (the engine-neutral rules
/// of `PromiseLedger`, `DossierStatus`, `Priority`, `Upkeep`); the batch writes it. Only what moved
/// is here, so an already settled dossier writes nothing.
struct DossierSettlement {
    struct Event {
        var kind: String
        var agent: String?
        var payload: OpPayload
    }

    var dossierId: String
    /// Changed promises: id, paid, state, settled_at.
    var promises: [(id: String, paid: Int64, state: String, settledAt: String?)] = []
    var plans: [(id: String, state: String)] = []
    /// Events telling agents of each promise or plan whose state moved, in that order.
    var events: [Event] = []
    var metrics: [(key: MetricKey, delta: MetricDelta)] = []
    /// Payments whose credits moved, with all their new credits, and whether they had credits to
    /// replace (a payment settled for the first time has none).
    var credits: [(paymentId: String, credits: [String: PaymentCredit], replaces: Bool)] = []
    /// Set when status or closed_at moved.
    var status: (status: String, closedAt: String?)?
    var solved30d: Int64?
    var priority: Int?
    /// Set (possibly to nil) when upkeep_at moved.
    var upkeepAt: String??
    /// A promise, a plan or the status moved: the dossier takes a new sequence number.
    var changed = false
    var statusAfter: String

    var writesDossier: Bool { changed || solved30d != nil || priority != nil || upkeepAt != nil }

    /// Decides the settlement exactly as settling the dossier alone always did (see `settle`):
    /// `credits` holds the stored credits of the dossier's payments, `retentionDays` the portfolio's
    /// retention, asked only for a closed dossier.
    static func decide(_ dossier: SettlingDossier, work: DossierWork, credits: [String: [String: PaymentCredit]],
                       retentionDays: (String) throws -> Int, now: Date, today: String, stamp: String) rethrows -> DossierSettlement {
        let record = dossier.record
        var settlement = DossierSettlement(dossierId: record.id, statusAfter: record.status)
        let ledger = PromiseLedger.settle(promises: work.promises, plans: work.plans, payments: work.payments, today: today)
        for (before, after) in zip(work.promises, ledger.promises) where before != after {
            let delta = SQLiteHubStore.difference(SQLiteHubStore.dueContribution(after), SQLiteHubStore.dueContribution(before))
            guard !delta.isEmpty else { continue }
            settlement.metrics.append((MetricKey(day: after.due, agent: after.agent, portfolio: record.portfolio, currency: record.currency), delta))
        }
        settlement.credit(promises: ledger.promises, payments: work.payments, stored: credits, record: record)
        for (old, new) in zip(work.promises, ledger.promises) where old != new {
            settlement.promises.append((new.id, new.paid, new.state.rawValue,
                                        new.state == .active ? nil : (old.state == new.state ? old.settledAt : stamp)))
            if old.state != new.state {
                let what = new.planId == nil ? "promise" : "instalment \(new.instalment ?? 0)"
                settlement.events.append(Event(kind: "promise-\(new.state.rawValue)", agent: new.agent,
                                               payload: OpPayload(text: "\(what) due \(new.due): \(new.state.rawValue)", amount: new.amount, due: new.due)))
            }
            settlement.changed = true
        }
        for (old, new) in zip(work.plans, ledger.plans) where old.state != new.state {
            settlement.plans.append((new.id, new.state.rawValue))
            settlement.events.append(Event(kind: "plan-\(new.state.rawValue)", agent: new.agent,
                                           payload: OpPayload(text: "plan of \(new.instalments) instalments: \(new.state.rawValue)")))
            settlement.changed = true
        }
        let settled = DossierWork(promises: ledger.promises, plans: ledger.plans, disputes: work.disputes, payments: work.payments)

        let status = DossierStatus.derive(balance: record.balance, closed: dossier.closedReason != nil, work: settled, worked: dossier.worked)
        let closedAt = status == .paid || status == .closed ? record.closedAt ?? stamp : nil
        // What the dossier counts for "solved within 30 days" is kept on it, so a late bank file that
        // changes the answer moves the figure by the difference.
        let solved = SQLiteHubStore.solvedContribution(status: status, payments: work.payments, placedAt: record.placedAt)
        if solved != dossier.solved30d {
            settlement.solved30d = solved
            if let day = SQLiteHubStore.agencyDay(record.placedAt) {
                settlement.metrics.append((MetricKey(day: day, agent: nil, portfolio: record.portfolio, currency: record.currency),
                                           [.solved30d: solved - dossier.solved30d]))
            }
        }
        settlement.statusAfter = status.rawValue
        if status.rawValue != record.status || closedAt != record.closedAt {
            settlement.status = (status.rawValue, closedAt)
            settlement.changed = true
        }

        var ranked = record
        ranked.work = settled
        let priority = Priority.score(Priority.Input.from(dossier: ranked, lastContact: dossier.lastContact, now: now), now: now).value
        if priority != dossier.priority { settlement.priority = priority }

        // The retention period matters only once the dossier is closed.
        let retention = closedAt == nil ? 0 : try retentionDays(record.portfolio)
        let upkeep = Upkeep.dueAt(activePromises: settled.activePromises.map { ($0.due, $0.graceDays) }, closedAt: closedAt,
                                  retentionDays: retention).map(Timestamp.string(from:))
        if upkeep != dossier.upkeepAt { settlement.upkeepAt = .some(upkeep) }
        return settlement
    }

    /// Re-credits the dossier's payments: each part that kept a promise goes to the agent who
    /// obtained it, the rest to no agent, on the day the debtor paid.
    private mutating func credit(promises: [PromiseRecord], payments: [PaymentRecord], stored: [String: [String: PaymentCredit]],
                                 record: DossierRecord) {
        guard !payments.isEmpty else { return }
        let paidOn = Dictionary(payments.map { ($0.id, $0.paidOn) }, uniquingKeysWith: { first, _ in first })
        var new: [String: [String: PaymentCredit]] = [:]
        for share in PromiseLedger.allocate(promises: promises, payments: payments) {
            new[share.paymentId, default: [:]][share.promiseId ?? "", default: PaymentCredit(agent: share.agent, amount: 0)].amount += share.amount
        }
        for payment in payments where new[payment.id] != stored[payment.id] {
            let before = stored[payment.id] ?? [:]
            let after = new[payment.id] ?? [:]
            // Sorted so that the rollups move in the same order however the dictionaries hash.
            for promiseId in Set(before.keys).union(after.keys).sorted() {
                let change = (after[promiseId]?.amount ?? 0) - (before[promiseId]?.amount ?? 0)
                guard change != 0 else { continue }
                let agent = after[promiseId]?.agent ?? before[promiseId]?.agent
                metrics.append((MetricKey(day: paidOn[payment.id] ?? payment.paidOn, agent: agent, portfolio: record.portfolio,
                                          currency: record.currency), [.collected: change]))
            }
            credits.append((payment.id, after, stored[payment.id] != nil))
        }
    }
}
