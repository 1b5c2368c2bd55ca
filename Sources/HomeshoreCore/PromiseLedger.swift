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
        let order = settled.indices.sorted { a, b in
            (settled[a].due, settled[a].createdAt, settled[a].id) < (settled[b].due, settled[b].createdAt, settled[b].id)
        }
        for payment in payments.sorted(by: { ($0.paidOn, $0.id) < ($1.paidOn, $1.id) }) {
            var remaining = payment.amount
            for index in order where remaining > 0 {
                let promise = settled[index]
                guard promise.state != .cancelled, promise.paid < promise.amount,
                      payment.paidOn <= promise.graceEnd, payment.paidOn >= madeOn(promise)
                else { continue }
                let take = min(remaining, promise.amount - promise.paid)
                settled[index].paid += take
                remaining -= take
            }
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

    /// The agency's day the promise was made: `paid_on` is an agency day too.
    static func madeOn(_ promise: PromiseRecord) -> String {
        Timestamp.parse(promise.createdAt).map { AgencyCalendar.day(of: $0) } ?? String(promise.createdAt.prefix(10))
    }
}
