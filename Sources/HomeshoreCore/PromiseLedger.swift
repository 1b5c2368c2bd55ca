/// Decides promise and plan states from payments and the calendar. It recomputes from scratch, so
/// settling is idempotent: the same payments and day always give the same states.
///
/// Payments cover active promises oldest due date first. A promise is kept once paid in full by its
/// due date plus grace days, partly kept when its grace ended part-paid, broken when it ended unpaid.
/// A payment made after a promise's grace (or before it was made) does not count for that promise;
/// it still lowers the dossier's balance.
public enum PromiseLedger {
    public static func settle(promises: [PromiseRecord], plans: [PlanRecord], payments: [PaymentRecord],
                              today: String) -> (promises: [PromiseRecord], plans: [PlanRecord]) {
        var settled = promises
        for index in settled.indices where settled[index].state != .cancelled { settled[index].paid = 0 }
        let byId = Dictionary(settled.indices.map { (settled[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        for share in allocate(promises: promises, payments: payments) {
            if let promiseId = share.promiseId, let index = byId[promiseId] { settled[index].paid += share.amount }
        }
        for index in settled.indices where settled[index].state != .cancelled {
            let promise = settled[index]
            if promise.paid >= promise.amount {
                settled[index].state = .kept
            } else if today > promise.graceEnd {
                settled[index].state = promise.paid > 0 ? .partlyKept : .broken
            } else {
                settled[index].state = .active
            }
        }
        var settledPlans = plans
        // A broken plan stays broken: a late bank file may keep an instalment, but the debtor was
        // chased and its remaining instalments were cancelled.
        for index in settledPlans.indices where settledPlans[index].state != .cancelled && settledPlans[index].state != .broken {
            let plan = settledPlans[index]
            let instalments = settled.indices.filter { settled[$0].planId == plan.id }
            let missed = instalments.filter { [.broken, .partlyKept].contains(settled[$0].state) }.count
            if !instalments.isEmpty && instalments.allSatisfy({ settled[$0].state == .kept }) {
                settledPlans[index].state = .completed
            } else if missed >= plan.missedLimit {
                settledPlans[index].state = .broken
                // A broken plan is over: its remaining instalments are no longer expected.
                for instalment in instalments where settled[instalment].state == .active { settled[instalment].state = .cancelled }
            } else {
                settledPlans[index].state = missed > 0 ? .late : .onTrack
            }
        }
        return (settled, settledPlans)
    }

    /// Which promise each payment pays toward (oldest due first; cancelled promises take nothing), and
    /// what is left of it for no promise (`promiseId` nil). The parts of a payment add up to it.
    public static func allocate(promises: [PromiseRecord], payments: [PaymentRecord]) -> [PaymentShare] {
        var paid = promises.map { _ in Int64(0) }
        let order = promises.indices.sorted { a, b in
            (promises[a].due, promises[a].createdAt, promises[a].id) < (promises[b].due, promises[b].createdAt, promises[b].id)
        }
        var shares: [PaymentShare] = []
        for payment in payments.sorted(by: { ($0.paidOn, $0.id) < ($1.paidOn, $1.id) }) {
            var remaining = payment.amount
            for index in order where remaining > 0 {
                let promise = promises[index]
                guard promise.state != .cancelled, paid[index] < promise.amount,
                      payment.paidOn <= promise.graceEnd, payment.paidOn >= madeOn(promise)
                else { continue }
                let take = min(remaining, promise.amount - paid[index])
                paid[index] += take
                remaining -= take
                shares.append(PaymentShare(paymentId: payment.id, promiseId: promise.id, agent: promise.agent, amount: take))
            }
            if remaining != 0 { shares.append(PaymentShare(paymentId: payment.id, promiseId: nil, agent: nil, amount: remaining)) }
        }
        return shares
    }

    /// The agency's day the promise was made: `paid_on` is an agency day too.
    static func madeOn(_ promise: PromiseRecord) -> String {
        Timestamp.parse(promise.createdAt).map { AgencyCalendar.day(of: $0) } ?? String(promise.createdAt.prefix(10))
    }
}

/// The part of a payment that went to one promise, credited to the agent who obtained it.
public struct PaymentShare: Sendable, Equatable {
    public var paymentId: String
    public var promiseId: String?
    public var agent: String?
    public var amount: Int64
}
