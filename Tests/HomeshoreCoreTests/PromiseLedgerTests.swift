import Foundation
import HomeshoreCore
import Testing

/// Builders for ledger inputs: amounts in cents, dates as the agency writes them.
private func promise(_ id: String, _ amount: Int64, due: String, grace: Int = 3, created: String = "2027-01-01T09:00:00.000Z",
                     state: PromiseState = .active, plan: String? = nil, instalment: Int? = nil) -> PromiseRecord {
    PromiseRecord(id: id, amount: amount, due: due, graceDays: grace, state: state, planId: plan, instalment: instalment,
                  agent: "alice", createdAt: created)
}

private func payment(_ id: String, _ amount: Int64, on day: String) -> PaymentRecord {
    PaymentRecord(id: id, amount: amount, paidOn: day, importedAt: day + "T18:00:00.000Z")
}

private func plan(_ id: String, instalments: Int, amount: Int64, first: String, missedLimit: Int = 2) -> PlanRecord {
    PlanRecord(id: id, instalments: instalments, amount: amount, first: first, every: "1m", missedLimit: missedLimit,
               agent: "alice", createdAt: "2027-01-01T09:00:00.000Z")
}

/// The instalments of `plan`, due on the given days, as the hub inserts them.
private func instalments(of plan: PlanRecord, due days: [String]) -> [PromiseRecord] {
    days.enumerated().map { index, day in
        promise("\(plan.id)-\(index + 1)", plan.amount, due: day, plan: plan.id, instalment: index + 1)
    }
}

private func settle(_ promises: [PromiseRecord], _ payments: [PaymentRecord], today: String) -> [PromiseRecord] {
    PromiseLedger.settle(promises: promises, plans: [], payments: payments, today: today).promises
}

@Suite struct PromiseLedgerTests {
    // Due 2027-01-10 with the default 3 grace days: the last day a payment keeps it is 2027-01-13.
    let due = "2027-01-10"

    @Test func graceEndIsDuePlusGraceDays() {
        #expect(promise("p", 100, due: due).graceEnd == "2027-01-13")
        #expect(promise("p", 100, due: "2027-12-30", grace: 3).graceEnd == "2028-01-02")
        #expect(promise("p", 100, due: "2028-02-27", grace: 2).graceEnd == "2028-02-29")
        #expect(promise("p", 100, due: due, grace: 0).graceEnd == due)
    }

    @Test func paidInFullByTheDueDateIsKept() throws {
        let result = settle([promise("p", 10_000, due: due)], [payment("x", 10_000, on: "2027-01-09")], today: "2027-01-09")
        let p = try #require(result.first)
        #expect(p.state == .kept)
        #expect(p.paid == 10_000)
    }

    @Test func paidInFullWithinTheGraceIsKept() throws {
        // Paid on the last day of grace, settled well after.
        let onLastDay = settle([promise("p", 10_000, due: due)], [payment("x", 10_000, on: "2027-01-13")], today: "2027-02-01")
        #expect(onLastDay.first?.state == .kept)
        #expect(onLastDay.first?.paid == 10_000)
        // One day later is too late for the promise.
        let dayAfter = settle([promise("p", 10_000, due: due)], [payment("x", 10_000, on: "2027-01-14")], today: "2027-02-01")
        #expect(dayAfter.first?.state == .broken)
        #expect(dayAfter.first?.paid == 0)
    }

    @Test func anOverpaymentKeepsItAndRecordsNoMoreThanTheAmount() {
        let result = settle([promise("p", 10_000, due: due)], [payment("x", 25_000, on: "2027-01-10")], today: "2027-01-10")
        #expect(result.first?.state == .kept)
        #expect(result.first?.paid == 10_000)
    }

    @Test func partPaidStaysActiveDuringGraceThenIsPartlyKept() {
        let promises = [promise("p", 10_000, due: due)]
        let payments = [payment("x", 4_000, on: "2027-01-11")]
        let inGrace = settle(promises, payments, today: "2027-01-13")
        #expect(inGrace.first?.state == .active)
        #expect(inGrace.first?.paid == 4_000)
        let after = settle(promises, payments, today: "2027-01-14")
        #expect(after.first?.state == .partlyKept)
        #expect(after.first?.paid == 4_000)
    }

    @Test func nothingPaidIsActiveUntilTheGraceEndsThenBroken() {
        let promises = [promise("p", 10_000, due: due)]
        #expect(settle(promises, [], today: "2027-01-10").first?.state == .active)
        #expect(settle(promises, [], today: "2027-01-13").first?.state == .active)
        #expect(settle(promises, [], today: "2027-01-14").first?.state == .broken)
        #expect(settle(promises, [], today: "2027-06-01").first?.state == .broken)
    }

    @Test func aPaymentAfterTheGraceDoesNotReviveABrokenPromise() {
        let broken = settle([promise("p", 10_000, due: due)], [], today: "2027-01-14")
        #expect(broken.first?.state == .broken)
        let later = settle(broken, [payment("x", 10_000, on: "2027-01-20")], today: "2027-01-20")
        #expect(later.first?.state == .broken)
        #expect(later.first?.paid == 0)
    }

    @Test func paymentsCoverTheOldestDueFirst() throws {
        // Listed newest first on purpose: the order of the input must not matter.
        let promises = [promise("later", 10_000, due: "2027-02-10"), promise("sooner", 10_000, due: "2027-01-10")]
        let payments = [payment("x", 15_000, on: "2027-01-05")]
        let early = settle(promises, payments, today: "2027-01-05")
        let sooner = try #require(early.first { $0.id == "sooner" })
        let later = try #require(early.first { $0.id == "later" })
        #expect(sooner.state == .kept && sooner.paid == 10_000)
        #expect(later.state == .active && later.paid == 5_000)
        // The remainder did not grow by itself: after its grace, the later promise is partly kept.
        let afterGrace = settle(promises, payments, today: "2027-02-14")
        #expect(afterGrace.first { $0.id == "later" }?.state == .partlyKept)
        #expect(afterGrace.first { $0.id == "sooner" }?.state == .kept)
        // The output keeps the input's order (the hub zips old and new).
        #expect(afterGrace.map(\.id) == ["later", "sooner"])
    }

    @Test func aPaymentSkipsAPromiseWhoseGraceItMissed() throws {
        // Paid on 2027-01-20: too late for the promise due 01-10, in time for the one due 02-10.
        let promises = [promise("sooner", 10_000, due: "2027-01-10"), promise("later", 10_000, due: "2027-02-10")]
        let result = settle(promises, [payment("x", 10_000, on: "2027-01-20")], today: "2027-01-20")
        #expect(result.first { $0.id == "sooner" }?.state == .broken)
        #expect(result.first { $0.id == "later" }?.state == .kept)
    }

    @Test func aPaymentMadeBeforeThePromiseDoesNotCount() {
        let promises = [promise("p", 10_000, due: "2027-01-20", created: "2027-01-05T14:00:00.000Z")]
        let before = settle(promises, [payment("x", 10_000, on: "2027-01-04")], today: "2027-01-30")
        #expect(before.first?.state == .broken)
        #expect(before.first?.paid == 0)
        let sameDay = settle(promises, [payment("x", 10_000, on: "2027-01-05")], today: "2027-01-30")
        #expect(sameDay.first?.state == .kept)
    }

    /// `paid_on` is a day of the agency's calendar (Europe/Paris) but `PromiseLedger.settle` compares
    /// it with the UTC day of `createdAt` (`String(promise.createdAt.prefix(10))`). A promise made at
    /// 00:30 in Paris on 01-10 (23:30 UTC on 01-09) wrongly counts a payment made on 01-09.
    @Test func aPaymentTheAgencyDayBeforeAPromiseMadeJustAfterMidnightDoesNotCount() {
        let promises = [promise("p", 10_000, due: "2027-01-20", created: "2027-01-09T23:30:00.000Z")]
        #expect(AgencyCalendar.day(of: Timestamp.parse("2027-01-09T23:30:00.000Z")!) == "2027-01-10")
        let result = settle(promises, [payment("x", 10_000, on: "2027-01-09")], today: "2027-01-30")
        #expect(result.first?.state == .broken)
        #expect(result.first?.paid == 0)
    }

    @Test func aCancelledPromiseStaysCancelledAndTakesNothing() {
        let promises = [promise("gone", 10_000, due: "2027-01-10", state: .cancelled), promise("p", 10_000, due: "2027-01-12")]
        let result = settle(promises, [payment("x", 10_000, on: "2027-01-10")], today: "2027-01-10")
        #expect(result.first { $0.id == "gone" }?.state == .cancelled)
        #expect(result.first { $0.id == "gone" }?.paid == 0)
        #expect(result.first { $0.id == "p" }?.state == .kept)
    }

    @Test func aPlanGoesOnTrackThenLateThenBroken() throws {
        let p = plan("plan", instalments: 4, amount: 5_000, first: "2027-01-10")
        let promises = instalments(of: p, due: ["2027-01-10", "2027-02-10", "2027-03-10", "2027-04-10"])

        let start = PromiseLedger.settle(promises: promises, plans: [p], payments: [], today: "2027-01-10")
        #expect(start.plans.first?.state == .onTrack)
        #expect(start.promises.allSatisfy { $0.state == .active })

        // The first instalment's grace ended unpaid: one missed, the plan is late.
        let late = PromiseLedger.settle(promises: start.promises, plans: start.plans, payments: [], today: "2027-01-14")
        #expect(late.plans.first?.state == .late)
        #expect(late.promises.map(\.state) == [.broken, .active, .active, .active])

        // Second missed: the limit of 2 is reached, the plan is broken and what remains is no longer expected.
        let broken = PromiseLedger.settle(promises: late.promises, plans: late.plans, payments: [], today: "2027-02-14")
        #expect(broken.plans.first?.state == .broken)
        #expect(broken.promises.map(\.state) == [.broken, .broken, .cancelled, .cancelled])

        // Settling again, even later, changes nothing.
        let again = PromiseLedger.settle(promises: broken.promises, plans: broken.plans, payments: [], today: "2027-05-01")
        #expect(again.plans == broken.plans)
        #expect(again.promises == broken.promises)
    }

    /// Bank files arrive late: a payment made in time for instalment 1 can be imported after the
    /// plan was already broken (and its remaining instalments cancelled). The ledger recomputes
    /// instalment 1 as kept, so the plan drops back to `late` while instalment 3 stays cancelled: a
    /// running plan that can never complete (the dossier stays `plan` forever). Whatever the choice
    /// (a broken plan stays broken, or its instalments come back), a running plan must not hold
    /// cancelled instalments.
    @Test func aLateImportedPaymentDoesNotLeaveARunningPlanWithCancelledInstalments() {
        let p = plan("plan", instalments: 3, amount: 5_000, first: "2027-01-10")
        let promises = instalments(of: p, due: ["2027-01-10", "2027-02-10", "2027-03-10"])
        let broken = PromiseLedger.settle(promises: promises, plans: [p], payments: [], today: "2027-02-14")
        #expect(broken.plans.first?.state == .broken)
        #expect(broken.promises.map(\.state) == [.broken, .broken, .cancelled])

        let backdated = [payment("x", 5_000, on: "2027-01-10")]
        let later = PromiseLedger.settle(promises: broken.promises, plans: broken.plans, payments: backdated, today: "2027-02-20")
        let state = later.plans.first?.state
        if state == .onTrack || state == .late {
            #expect(!later.promises.contains { $0.state == .cancelled },
                    "plan \(state?.rawValue ?? "") with instalments \(later.promises.map(\.state.rawValue))")
        }
    }

    @Test func aPartlyPaidInstalmentCountsAsMissed() {
        let p = plan("plan", instalments: 3, amount: 5_000, first: "2027-01-10")
        let promises = instalments(of: p, due: ["2027-01-10", "2027-02-10", "2027-03-10"])
        let result = PromiseLedger.settle(promises: promises, plans: [p], payments: [payment("x", 1_000, on: "2027-01-10")], today: "2027-01-14")
        #expect(result.promises.first?.state == .partlyKept)
        #expect(result.plans.first?.state == .late)
    }

    @Test func aPlanPaidLateOnceRecoversNothingButStaysLateNotBroken() {
        let p = plan("plan", instalments: 3, amount: 5_000, first: "2027-01-10")
        let promises = instalments(of: p, due: ["2027-01-10", "2027-02-10", "2027-03-10"])
        let payments = [payment("a", 5_000, on: "2027-02-09"), payment("b", 5_000, on: "2027-03-09")]
        let result = PromiseLedger.settle(promises: promises, plans: [p], payments: payments, today: "2027-03-20")
        // 01-10 missed (the 02-09 payment came after its grace), the next two were covered.
        #expect(result.promises.map(\.state) == [.broken, .kept, .kept])
        #expect(result.plans.first?.state == .late)
    }

    @Test func aPlanWithEveryInstalmentKeptIsCompleted() {
        let p = plan("plan", instalments: 3, amount: 5_000, first: "2027-01-10")
        let promises = instalments(of: p, due: ["2027-01-10", "2027-02-10", "2027-03-10"])
        let twoPaid = [payment("a", 5_000, on: "2027-01-10"), payment("b", 5_000, on: "2027-02-12")]
        let midway = PromiseLedger.settle(promises: promises, plans: [p], payments: twoPaid, today: "2027-02-20")
        #expect(midway.plans.first?.state == .onTrack)
        #expect(midway.promises.map(\.state) == [.kept, .kept, .active])
        let done = PromiseLedger.settle(promises: midway.promises, plans: midway.plans,
                                        payments: twoPaid + [payment("c", 5_000, on: "2027-03-01")], today: "2027-03-01")
        #expect(done.plans.first?.state == .completed)
        #expect(done.promises.allSatisfy { $0.state == .kept })
    }

    @Test func settlingItsOwnOutputAgainChangesNothing() {
        let p = plan("plan", instalments: 3, amount: 5_000, first: "2027-01-10")
        let promises = instalments(of: p, due: ["2027-01-10", "2027-02-10", "2027-03-10"])
            + [promise("a", 7_000, due: "2027-01-15"), promise("b", 3_000, due: "2027-01-05")]
        let payments = [payment("x", 9_000, on: "2027-01-06"), payment("y", 2_500, on: "2027-01-16"), payment("z", 1_000, on: "2027-02-11")]
        for today in ["2027-01-06", "2027-01-20", "2027-02-15", "2027-04-01"] {
            let once = PromiseLedger.settle(promises: promises, plans: [p], payments: payments, today: today)
            let twice = PromiseLedger.settle(promises: once.promises, plans: once.plans, payments: payments, today: today)
            #expect(twice.promises == once.promises, "promises at \(today)")
            #expect(twice.plans == once.plans, "plans at \(today)")
            // The order payments are listed in does not matter either.
            let shuffled = PromiseLedger.settle(promises: promises, plans: [p], payments: payments.reversed(), today: today)
            #expect(shuffled.promises == once.promises, "shuffled at \(today)")
        }
    }
}

@Suite struct InstalmentScheduleTests {
    @Test func monthStepsKeepTheDayClampedAtMonthEnd() {
        #expect(InstalmentSchedule.dates(first: "2027-01-31", count: 4, every: .oneMonth)
            == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"])
        #expect(InstalmentSchedule.dates(first: "2028-01-31", count: 3, every: .oneMonth)
            == ["2028-01-31", "2028-02-29", "2028-03-31"])
        #expect(InstalmentSchedule.dates(first: "2027-01-30", count: 3, every: .oneMonth)
            == ["2027-01-30", "2027-02-28", "2027-03-30"])
    }

    @Test func monthStepsCrossTheYear() {
        #expect(InstalmentSchedule.dates(first: "2027-11-30", count: 4, every: .oneMonth)
            == ["2027-11-30", "2027-12-30", "2028-01-30", "2028-02-29"])
        let sixty = InstalmentSchedule.dates(first: "2027-05-15", count: 60, every: .oneMonth)
        #expect(sixty?.count == 60)
        #expect(sixty?.last == "2032-04-15")
    }

    @Test func weekStepsCountDays() {
        #expect(InstalmentSchedule.dates(first: "2027-12-25", count: 3, every: .twoWeeks)
            == ["2027-12-25", "2028-01-08", "2028-01-22"])
        #expect(InstalmentSchedule.dates(first: "2028-02-22", count: 3, every: .oneWeek)
            == ["2028-02-22", "2028-02-29", "2028-03-07"])
        #expect(InstalmentSchedule.dates(first: "2027-02-22", count: 2, every: .oneWeek) == ["2027-02-22", "2027-03-01"])
    }

    @Test func aSingleInstalmentIsTheFirstDate() {
        for step in InstalmentSchedule.Step.allCases {
            #expect(InstalmentSchedule.dates(first: "2027-03-31", count: 1, every: step) == ["2027-03-31"])
        }
    }

    @Test func badInputGivesNil() {
        #expect(InstalmentSchedule.dates(first: "2027-02-30", count: 3, every: .oneMonth) == nil)
        #expect(InstalmentSchedule.dates(first: "2027-01-31", count: 0, every: .oneMonth) == nil)
        #expect(InstalmentSchedule.dates(first: "31/01/2027", count: 2, every: .oneWeek) == nil)
        #expect(InstalmentSchedule.Step(rawValue: "3d") == nil)
        #expect(InstalmentSchedule.Step.allCases.map(\.rawValue) == ["1m", "2w", "1w"])
    }
}

@Suite struct CalendarDateTests {
    @Test func dayNumbersCountFromTheEpoch() {
        #expect(CalendarDate.dayNumber("1970-01-01") == 0)
        #expect(CalendarDate.dayNumber("1969-12-31") == -1)
        #expect(CalendarDate.dayNumber("2000-03-01") == 11_017)
        #expect(CalendarDate.dayNumber("1900-01-01") == -25_567)
        #expect(CalendarDate.dayNumber("2200-12-31") == 84_370)
        #expect(CalendarDate.dayNumber("2028-02-29") == 21_243)
        #expect(CalendarDate.dayNumber("2027-02-29") == nil)
        #expect(CalendarDate.dayNumber("2027-1-5") == nil)
    }

    @Test func everyDayRoundTripsAndFollowsTheDayBefore() {
        let first = CalendarDate.dayNumber("1900-01-01")!
        let last = CalendarDate.dayNumber("2200-12-31")!
        var previous = CalendarDate.fromDayNumber(first - 1)
        #expect(previous == "1899-12-31")
        var failures = 0
        for number in first...last {
            let text = CalendarDate.fromDayNumber(number)
            if !CalendarDate.isValid(text) || CalendarDate.dayNumber(text) != number || text <= previous { failures += 1 }
            previous = text
        }
        #expect(failures == 0)
        #expect(previous == "2200-12-31")
    }

    @Test func addingDaysCrossesMonthsYearsAndLeapDays() {
        #expect(CalendarDate.adding(days: 1, to: "2028-02-28") == "2028-02-29")
        #expect(CalendarDate.adding(days: 1, to: "2027-02-28") == "2027-03-01")
        #expect(CalendarDate.adding(days: 1, to: "2100-02-28") == "2100-03-01")
        #expect(CalendarDate.adding(days: 1, to: "2000-02-28") == "2000-02-29")
        #expect(CalendarDate.adding(days: -1, to: "2027-01-01") == "2026-12-31")
        #expect(CalendarDate.adding(days: 366, to: "2028-01-01") == "2029-01-01")
        #expect(CalendarDate.adding(days: 0, to: "2027-07-14") == "2027-07-14")
        #expect(CalendarDate.adding(days: 3, to: "2027-02-30") == nil)
        for days in [-400, -31, -1, 1, 29, 365, 1_000] {
            let there = CalendarDate.adding(days: days, to: "2027-03-15")
            #expect(there.flatMap { CalendarDate.adding(days: -days, to: $0) } == "2027-03-15")
        }
    }
}

@Suite struct DossierStatusTests {
    let broken = PromiseRecord(id: "b", amount: 100, due: "2027-01-10", graceDays: 3, state: .broken, agent: nil, createdAt: "2027-01-01T09:00:00.000Z")
    let active = PromiseRecord(id: "a", amount: 100, due: "2027-02-10", graceDays: 3, agent: nil, createdAt: "2027-01-02T09:00:00.000Z")
    let dispute = DisputeRecord(id: "d", reason: .quality, note: nil, agent: nil, openedAt: "2027-01-03T09:00:00.000Z")
    var runningPlan: PlanRecord { PlanRecord(id: "p", instalments: 2, amount: 50, first: "2027-02-01", every: "1m", missedLimit: 2, agent: nil, createdAt: "2027-01-04T09:00:00.000Z") }

    func derive(balance: Int64 = 10_000, closed: Bool = false, _ work: DossierWork = DossierWork(), worked: Bool = false) -> DossierStatus {
        DossierStatus.derive(balance: balance, closed: closed, work: work, worked: worked)
    }

    @Test func untouchedIsNewAndWorkedIsInProgress() {
        #expect(derive() == .new)
        #expect(derive(worked: true) == .inProgress)
        // A promise that is over (here broken) still means the dossier was worked.
        #expect(derive(DossierWork(promises: [broken])) == .inProgress)
        var resolved = dispute
        resolved.state = .rejected
        #expect(derive(DossierWork(disputes: [resolved])) == .inProgress)
    }

    @Test func anActivePromiseIsPromisedAndARunningPlanIsPlan() {
        #expect(derive(DossierWork(promises: [broken, active])) == .promised)
        var instalment = active
        instalment.planId = "p"
        // An active instalment alone does not make a standalone promise.
        #expect(derive(DossierWork(promises: [instalment])) == .inProgress)
        #expect(derive(DossierWork(promises: [instalment], plans: [runningPlan])) == .plan)
        var late = runningPlan
        late.state = .late
        #expect(derive(DossierWork(plans: [late])) == .plan)
        for state in [PlanState.broken, .completed, .cancelled] {
            var over = runningPlan
            over.state = state
            #expect(derive(DossierWork(plans: [over]), worked: true) == .inProgress, "plan \(state)")
        }
        // A plan outranks a standalone promise.
        #expect(derive(DossierWork(promises: [active], plans: [runningPlan])) == .plan)
    }

    @Test func anOpenDisputeOutranksPromisesAndPlans() {
        #expect(derive(DossierWork(promises: [active], plans: [runningPlan], disputes: [dispute])) == .disputed)
    }

    @Test func paidAndClosedOutrankEverything() {
        let busy = DossierWork(promises: [active], plans: [runningPlan], disputes: [dispute])
        #expect(derive(balance: 0, busy) == .paid)
        #expect(derive(balance: -500, busy) == .paid)
        #expect(derive(balance: 0, closed: true, busy) == .closed)
        #expect(derive(balance: 10_000, closed: true, busy) == .closed)
    }

    @Test func statusCodesAreTheWireNames() {
        #expect(DossierStatus.allCases.map(\.rawValue) == ["new", "in-progress", "promised", "plan", "disputed", "paid", "closed"])
    }

    func record(_ work: DossierWork?) -> DossierRecord {
        DossierRecord(id: "id", portfolio: "P", reference: "R", debtorName: "Jean", debtorType: "person", amountDue: 10_000,
                      balance: 10_000, currency: "EUR", dueDate: "2026-10-01", timezone: "Europe/Paris", language: "fr",
                      status: "new", placedAt: "2027-01-01T09:00:00.000Z", work: work)
    }

    @Test func situationPicksTheScript() {
        #expect(record(nil).situation == .firstContact)
        #expect(record(DossierWork()).situation == .firstContact)
        #expect(record(DossierWork(promises: [active])).situation == .firstContact)
        #expect(record(DossierWork(promises: [broken])).situation == .brokenPromise)
        var partly = broken
        partly.state = .partlyKept
        #expect(record(DossierWork(promises: [partly])).situation == .brokenPromise)
        // The latest promise decides: a broken one followed by a kept one is a fresh start.
        var kept = active
        kept.state = .kept
        #expect(record(DossierWork(promises: [broken, kept])).situation == .firstContact)
        #expect(record(DossierWork(promises: [kept, { var b = broken; b.createdAt = "2027-01-09T09:00:00.000Z"; return b }()])).situation == .brokenPromise)
        // A broken instalment is the plan's business, not a broken promise.
        var brokenInstalment = broken
        brokenInstalment.planId = "p"
        #expect(record(DossierWork(promises: [brokenInstalment])).situation == .firstContact)
        #expect(record(DossierWork(promises: [broken], plans: [runningPlan])).situation == .planFollowUp)
        #expect(record(DossierWork(promises: [broken], plans: [runningPlan], disputes: [dispute])).situation == .disputeFollowUp)
    }
}
