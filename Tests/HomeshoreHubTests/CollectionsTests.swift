import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 3 (collections work) on a real SQLite store and the hub's HTTP sync route, with the hub's
/// clock moved by hand: promises and plans settled from payments, disputes, the payments import,
/// paid dossiers leaving the agent, refused ops, scripts reaching the agent.
@Suite struct CollectionsTests {
    // MARK: - Promises settled from payments

    @Test func aPromisePaidWithinGraceIsKeptAndTheAgentHearsIt() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        try await hub.app().test(.router) { client in
            var ops = OpFactory()
            let promise = ops.make("promise", dossier: hub.ids["A-1"]!, payload: OpPayload(amount: 20_000, due: "2027-01-15"), at: hub.clock)
            let first = try await client.sync(SyncRequest(cursor: 0, ops: [promise]), token: hub.token)
            #expect(first.results.map(\.status) == [.applied])
            let made = try #require(first.upserts.first { $0.dossier.reference == "A-1" })
            #expect(made.dossier.status == "promised")
            #expect(made.dossier.work?.promises.map(\.state) == [.active])
            #expect(made.dossier.work?.promises.first?.graceDays == 3)

            // Paid the day before the grace ends (due 01-15 + 3 = 01-18), imported on the last day.
            hub.clock = CollectionsHub.day("2027-01-18")
            let summary = try await hub.pay("A-1", "200.00", on: "2027-01-17")
            #expect(summary == PaymentImportSummary(recorded: 1, duplicates: 0, amount: 20_000, closed: 0))

            let second = try await client.sync(SyncRequest(cursor: first.cursor, ops: []), token: hub.token)
            let change = try #require(second.upserts.first { $0.dossier.reference == "A-1" })
            let settled = try #require(change.dossier.work?.promises.first)
            #expect(settled.state == .kept)
            #expect(settled.paid == 20_000)
            #expect(settled.settledAt == Timestamp.string(from: hub.clock))
            #expect(change.dossier.balance == 30_000)
            #expect(change.dossier.status == "in-progress")
            #expect(change.events.map(\.kind).contains("payment"))
            #expect(change.events.map(\.kind).contains("promise-kept"))
            #expect(change.events.allSatisfy { $0.seq > first.cursor })
        }
    }

    @Test func aPartPaidPromiseIsPartlyKeptOnceTheGraceEnds() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        try await hub.app().test(.router) { client in
            var ops = OpFactory()
            let promise = ops.make("promise", dossier: hub.ids["A-1"]!, payload: OpPayload(amount: 20_000, due: "2027-01-15"), at: hub.clock)
            let first = try await client.sync(SyncRequest(cursor: 0, ops: [promise]), token: hub.token)

            hub.clock = CollectionsHub.day("2027-01-16")
            _ = try await hub.pay("A-1", "50.00", on: "2027-01-16")
            // Last day of grace: still active, with what was paid so far.
            hub.clock = CollectionsHub.day("2027-01-18")
            let inGrace = try await client.sync(SyncRequest(cursor: first.cursor, ops: []), token: hub.token)
            let waiting = try #require(inGrace.upserts.first { $0.dossier.reference == "A-1" })
            #expect(waiting.dossier.work?.promises.first?.state == .active)
            #expect(waiting.dossier.work?.promises.first?.paid == 5_000)
            #expect(waiting.dossier.status == "promised")

            // The sync's housekeeping settles it the day after the grace.
            hub.clock = CollectionsHub.day("2027-01-19")
            let after = try await client.sync(SyncRequest(cursor: inGrace.cursor, ops: []), token: hub.token)
            let change = try #require(after.upserts.first { $0.dossier.reference == "A-1" })
            #expect(change.dossier.work?.promises.first?.state == .partlyKept)
            #expect(change.dossier.work?.promises.first?.paid == 5_000)
            #expect(change.dossier.balance == 45_000)
            #expect(change.events.map(\.kind) == ["promise-partly-kept"])
        }
    }

    @Test func anUnpaidPromiseIsBrokenBySettleDueAndALatePaymentOnlyLowersTheBalance() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        try await hub.app().test(.router) { client in
            var ops = OpFactory()
            let promise = ops.make("promise", dossier: hub.ids["A-1"]!, payload: OpPayload(amount: 20_000, due: "2027-01-15"), at: hub.clock)
            let first = try await client.sync(SyncRequest(cursor: 0, ops: [promise]), token: hub.token)

            hub.clock = CollectionsHub.day("2027-01-18")
            #expect(try await hub.store.settleDue(now: hub.clock) == 0)
            #expect(try await hub.record("A-1").work?.promises.first?.state == .active)
            hub.clock = CollectionsHub.day("2027-01-19")
            #expect(try await hub.store.settleDue(now: hub.clock) == 1)
            #expect(try await hub.store.settleDue(now: hub.clock) == 0)

            let pulled = try await client.sync(SyncRequest(cursor: first.cursor, ops: []), token: hub.token)
            let change = try #require(pulled.upserts.first { $0.dossier.reference == "A-1" })
            #expect(change.dossier.work?.promises.first?.state == .broken)
            #expect(change.events.map(\.kind) == ["promise-broken"])
            #expect(change.dossier.status == "in-progress")
            #expect(change.dossier.situation == .brokenPromise)

            // Paid in full, but after the grace: the claim goes down, the promise stays broken.
            hub.clock = CollectionsHub.day("2027-01-22")
            _ = try await hub.pay("A-1", "200.00", on: "2027-01-21")
            let late = try await client.sync(SyncRequest(cursor: pulled.cursor, ops: []), token: hub.token)
            let afterPayment = try #require(late.upserts.first { $0.dossier.reference == "A-1" })
            #expect(afterPayment.dossier.balance == 30_000)
            #expect(afterPayment.dossier.work?.promises.first?.state == .broken)
            #expect(afterPayment.dossier.work?.promises.first?.paid == 0)
            #expect(afterPayment.dossier.work?.payments.map(\.amount) == [20_000])
            #expect(afterPayment.events.map(\.kind) == ["payment"])
        }
    }

    @Test func paymentsCoverTheOldestPromiseFirstOnTheHub() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        var ops = OpFactory()
        let id = hub.ids["A-1"]!
        let results = try await hub.push([
            ops.make("promise", dossier: id, payload: OpPayload(amount: 10_000, due: "2027-02-15"), at: hub.clock),
            ops.make("promise", dossier: id, payload: OpPayload(amount: 10_000, due: "2027-01-20"), at: hub.clock),
        ])
        #expect(results.map(\.status) == [.applied, .applied])
        hub.clock = CollectionsHub.day("2027-01-12")
        _ = try await hub.pay("A-1", "150.00", on: "2027-01-12")
        let work = try #require(try await hub.record("A-1").work)
        #expect(work.promises.map(\.due) == ["2027-01-20", "2027-02-15"])
        #expect(work.promises.map(\.state) == [.kept, .active])
        #expect(work.promises.map(\.paid) == [10_000, 5_000])
        #expect(try await hub.record("A-1").status == "promised")
    }

    /// Offline first: an agent records a promise on the phone on 01-05 and syncs on 01-08; the debtor
    /// paid on 01-06, after the promise was made. The promise is dated when it was recorded, not when
    /// the hub received it, so the payment keeps it.
    @Test func aPaymentMadeAfterTheCallButBeforeTheSyncKeepsThePromise() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")], start: "2027-01-08")
        var ops = OpFactory()
        let onThePhone = CollectionsHub.day("2027-01-05")
        let results = try await hub.push([ops.make("promise", dossier: hub.ids["A-1"]!,
                                                   payload: OpPayload(amount: 20_000, due: "2027-01-12"), at: onThePhone)])
        #expect(results.map(\.status) == [.applied])
        _ = try await hub.pay("A-1", "200.00", on: "2027-01-06")
        hub.clock = CollectionsHub.day("2027-01-20")
        _ = try await hub.store.settleDue(now: hub.clock)
        let promise = try #require(try await hub.record("A-1").work?.promises.first)
        #expect(promise.state == .kept, "paid 2027-01-06 for a promise made 2027-01-05 (created_at \(promise.createdAt))")
        #expect(promise.paid == 20_000)
        #expect(promise.createdAt == Timestamp.string(from: onThePhone))
    }

    @Test func aLaptopClockAheadCannotDateAPromiseInTheFuture() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        var ops = OpFactory()
        let ahead = hub.clock.addingTimeInterval(6 * 3600)
        let results = try await hub.push([ops.make("promise", dossier: hub.ids["A-1"]!, payload: OpPayload(amount: 1_000, due: "2027-01-20"), at: ahead)])
        #expect(results.map(\.status) == [.applied])
        #expect(try await hub.record("A-1").work?.promises.first?.createdAt == Timestamp.string(from: hub.clock))
    }

    @Test func anOpRecordedFurtherAheadThanTheSkewIsRefused() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        var ops = OpFactory()
        let ahead = hub.clock.addingTimeInterval(Limits.maxClockSkewSeconds + 60)
        let results = try await hub.push([ops.make("promise", dossier: hub.ids["A-1"]!, payload: OpPayload(amount: 1_000, due: "2027-01-20"), at: ahead)])
        #expect(results.map(\.code) == ["recorded_in_future"])
        #expect(try await hub.record("A-1").work?.promises.isEmpty == true)
    }

    @Test func aPaymentMadeBeforeThePromiseDoesNotKeepIt() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        _ = try await hub.pay("A-1", "100.00", on: "2027-01-09")
        var ops = OpFactory()
        _ = try await hub.push([ops.make("promise", dossier: hub.ids["A-1"]!, payload: OpPayload(amount: 10_000, due: "2027-01-15"), at: hub.clock)])
        hub.clock = CollectionsHub.day("2027-01-19")
        #expect(try await hub.store.settleDue(now: hub.clock) == 1)
        let record = try await hub.record("A-1")
        #expect(record.work?.promises.first?.state == .broken)
        #expect(record.balance == 40_000)
    }

    @Test func aCallWithOutcomePromiseCreatesThePromise() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        var ops = OpFactory()
        let call = ops.make("call", dossier: hub.ids["A-1"]!,
                            payload: OpPayload(outcome: "promise", durationSeconds: 120, amount: 12_345, due: "2027-01-25"), at: hub.clock)
        let incomplete = ops.make("call", dossier: hub.ids["A-1"]!, payload: OpPayload(outcome: "promise", amount: 100), at: hub.clock)
        let stray = ops.make("call", dossier: hub.ids["A-1"]!, payload: OpPayload(outcome: "busy", amount: 100, due: "2027-01-25"), at: hub.clock)
        let results = try await hub.push([call, incomplete, stray])
        #expect(results.map(\.status) == [.applied, .rejected, .rejected])
        #expect(results.map { $0.code ?? "" } == ["", "promise_incomplete", "unexpected_promise"])
        let record = try await hub.record("A-1")
        let promise = try #require(record.work?.promises.first)
        #expect(record.work?.promises.count == 1)
        #expect(promise.id == call.id + "-promise")
        #expect(promise.amount == 12_345 && promise.due == "2027-01-25" && promise.state == .active && promise.agent == "alice")
        #expect(record.status == "promised")
    }

    // MARK: - Plans

    @Test func aPlanGoesOnTrackThenLateThenBrokenAsTheClockMoves() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "1000.00")])
        try await hub.app().test(.router) { client in
            var ops = OpFactory()
            let plan = ops.make("plan", dossier: hub.ids["A-1"]!,
                                payload: OpPayload(amount: 10_000, due: "2027-01-31", instalments: 4, every: "1m"), at: hub.clock)
            let first = try await client.sync(SyncRequest(cursor: 0, ops: [plan]), token: hub.token)
            #expect(first.results.map(\.status) == [.applied])
            let made = try #require(first.upserts.first?.dossier)
            #expect(made.status == "plan")
            #expect(made.situation == .planFollowUp)
            #expect(made.work?.plans.map(\.state) == [.onTrack])
            #expect(made.work?.plans.first?.missedLimit == 2)
            #expect(made.work?.promises.map(\.due) == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"])
            #expect(made.work?.promises.map(\.instalment) == [1, 2, 3, 4])
            #expect(made.work?.promises.allSatisfy { $0.planId == plan.id && $0.state == .active } == true)

            // The first instalment is paid on time.
            hub.clock = CollectionsHub.day("2027-01-30")
            _ = try await hub.pay("A-1", "100.00", on: "2027-01-30")
            let paid = try await client.sync(SyncRequest(cursor: first.cursor, ops: []), token: hub.token)
            let onTrack = try #require(paid.upserts.first?.dossier)
            #expect(onTrack.work?.plans.first?.state == .onTrack)
            #expect(onTrack.work?.promises.map(\.state) == [.kept, .active, .active, .active])

            // The second is missed (grace ends 03-03): the plan is late.
            hub.clock = CollectionsHub.day("2027-03-04")
            let missedOnce = try await client.sync(SyncRequest(cursor: paid.cursor, ops: []), token: hub.token)
            let late = try #require(missedOnce.upserts.first)
            #expect(late.dossier.work?.plans.first?.state == .late)
            #expect(late.dossier.work?.promises.map(\.state) == [.kept, .broken, .active, .active])
            #expect(late.dossier.status == "plan")
            #expect(Set(late.events.map(\.kind)) == ["promise-broken", "plan-late"])

            // The third is missed too: the plan is broken and the last instalment is no longer expected.
            hub.clock = CollectionsHub.day("2027-04-04")
            let missedTwice = try await client.sync(SyncRequest(cursor: missedOnce.cursor, ops: []), token: hub.token)
            let broken = try #require(missedTwice.upserts.first)
            #expect(broken.dossier.work?.plans.first?.state == .broken)
            #expect(broken.dossier.work?.promises.map(\.state) == [.kept, .broken, .broken, .cancelled])
            #expect(broken.dossier.status == "in-progress")
            #expect(Set(broken.events.map(\.kind)) == ["promise-broken", "promise-cancelled", "plan-broken"])

            // Nothing left to settle: later syncs send nothing more.
            hub.clock = CollectionsHub.day("2027-06-01")
            let quiet = try await client.sync(SyncRequest(cursor: missedTwice.cursor, ops: []), token: hub.token)
            #expect(quiet.upserts.isEmpty && quiet.removals.isEmpty)
            #expect(quiet.cursor == missedTwice.cursor)
        }
    }

    /// The hub side of `PromiseLedgerTests.aLateImportedPaymentDoesNotLeaveARunningPlanWithCancelledInstalments`:
    /// a bank file imported after the plan broke, with a payment made in time for instalment 1.
    @Test func aLateBankFileDoesNotLeaveADossierOnARunningPlanThatCannotComplete() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "1000.00")])
        var ops = OpFactory()
        _ = try await hub.push([ops.make("plan", dossier: hub.ids["A-1"]!,
                                         payload: OpPayload(amount: 10_000, due: "2027-01-15", instalments: 3, every: "1m"), at: hub.clock)])
        hub.clock = CollectionsHub.day("2027-02-19")
        #expect(try await hub.store.settleDue(now: hub.clock) == 1)
        let broken = try await hub.record("A-1")
        #expect(broken.work?.plans.first?.state == .broken)
        #expect(broken.work?.promises.map(\.state) == [.broken, .broken, .cancelled])

        hub.clock = CollectionsHub.day("2027-02-20")
        _ = try await hub.pay("A-1", "100.00", on: "2027-01-14")
        let record = try await hub.record("A-1")
        #expect(record.balance == 90_000)
        if record.status == "plan" {
            #expect(record.work?.promises.contains { $0.state == .cancelled } == false,
                    "status plan, plan \(record.work?.plans.first?.state.rawValue ?? ""), instalments \(record.work?.promises.map(\.state.rawValue) ?? [])")
        }
    }

    @Test func aPlanEveryInstalmentOfWhichIsPaidIsCompleted() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "300.00")])
        var ops = OpFactory()
        _ = try await hub.push([ops.make("plan", dossier: hub.ids["A-1"]!,
                                         payload: OpPayload(amount: 10_000, due: "2027-01-12", instalments: 3, every: "1w"), at: hub.clock)])
        hub.clock = CollectionsHub.day("2027-01-26")
        _ = try await hub.pay("A-1", "300.00", on: "2027-01-11")
        let record = try await hub.record("A-1")
        #expect(record.work?.plans.first?.state == .completed)
        #expect(record.work?.promises.map(\.state) == [.kept, .kept, .kept])
        #expect(record.status == "paid")
    }

    // MARK: - Payments import

    @Test func reimportingThePaymentsFileHasNoSecondEffect() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00"), ("A-2", "500.00")])
        let file = [
            PaymentImportRow(line: 2, reference: "A-1", amountText: "100.00", paidOn: "2027-01-05", paymentId: "VIR-1"),
            PaymentImportRow(line: 3, reference: "A-1", amountText: "50.00", paidOn: "2027-01-06"),
            // Two equal lines without payment_id in one file are two payments.
            PaymentImportRow(line: 4, reference: "A-2", amountText: "10.00", paidOn: "2027-01-06"),
            PaymentImportRow(line: 5, reference: "A-2", amountText: "10.00", paidOn: "2027-01-06"),
        ]
        let first = try await hub.store.importPayments(file, now: hub.clock)
        #expect(first == PaymentImportSummary(recorded: 4, duplicates: 0, amount: 17_000, closed: 0))
        #expect(try await hub.record("A-1").balance == 35_000)
        #expect(try await hub.record("A-2").balance == 48_000)

        hub.clock = hub.clock.addingTimeInterval(86_400)
        let again = try await hub.store.importPayments(file, now: hub.clock)
        #expect(again == PaymentImportSummary(recorded: 0, duplicates: 4, amount: 0, closed: 0))
        // The same lines in another order, in a later file, are still the same payments.
        let reordered = try await hub.store.importPayments(file.reversed(), now: hub.clock)
        #expect(reordered.recorded == 0 && reordered.duplicates == 4)
        #expect(try await hub.record("A-1").balance == 35_000)
        #expect(try await hub.record("A-2").balance == 48_000)
        #expect(try await hub.record("A-1").work?.payments.count == 2)
        #expect(try await hub.store.eventCount(kind: "payment") == 4)
    }

    @Test func aBadPaymentsFileListsEveryBadLineAndWritesNothing() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00"), ("A-2", "500.00")])
        let file = [
            PaymentImportRow(line: 2, reference: "A-1", amountText: "100.00", paidOn: "2027-01-05"),
            PaymentImportRow(line: 3, reference: "NOPE-9", amountText: "10.00", paidOn: "2027-01-05"),
            PaymentImportRow(line: 4, reference: "A-2", amountText: "10.00", currency: "USD", paidOn: "2027-01-05"),
            PaymentImportRow(line: 5, reference: "A-2", amountText: "20.00", currency: "EUR", paidOn: "2027-01-05", paymentId: "OK-1"),
            PaymentImportRow(line: 6, reference: "A-1", portfolio: "OTHER", amountText: "1.00", paidOn: "2027-01-05"),
        ]
        let failure = await #expect(throws: ImportFailure.self) { _ = try await hub.store.importPayments(file, now: hub.clock) }
        let problems = try #require(failure?.problems)
        #expect(problems.map { "\($0.line) \($0.column ?? "-")" } == ["3 reference", "4 currency", "6 reference"])
        #expect(problems[0].message.contains("NOPE-9"))
        #expect(problems[1].message.contains("USD") && problems[1].message.contains("EUR"))
        #expect(failure?.badRowCount == 3)
        #expect(failure?.description.contains("nothing was imported") == true)
        for ref in ["A-1", "A-2"] {
            let record = try await hub.record(ref)
            #expect(record.balance == 50_000)
            #expect(record.work?.payments.isEmpty == true)
        }
        #expect(try await hub.store.eventCount(kind: "payment") == 0)
        // Fixed, the same file goes in whole.
        let fixed = try await hub.store.importPayments([file[0], file[3]], now: hub.clock)
        #expect(fixed.recorded == 2)
    }

    // MARK: - Paid dossiers

    @Test func aDossierPaidOffIsClosedThenLeavesTheAgentAfterRetention() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "100.00"), ("A-2", "100.00")])
        try await hub.app().test(.router) { client in
            var ops = OpFactory()
            let promise = ops.make("promise", dossier: hub.ids["A-1"]!, payload: OpPayload(amount: 10_000, due: "2027-01-15"), at: hub.clock)
            let first = try await client.sync(SyncRequest(cursor: 0, ops: [promise]), token: hub.token)
            #expect(first.upserts.count == 2)

            let payday = CollectionsHub.day("2027-01-12")
            hub.clock = payday
            let summary = try await hub.pay("A-1", "100.00", on: "2027-01-12")
            #expect(summary.closed == 1)
            let paid = try await hub.record("A-1")
            #expect(paid.balance == 0)
            #expect(paid.status == "paid")
            #expect(paid.closedAt == Timestamp.string(from: payday))
            #expect(paid.work?.promises.first?.state == .kept)

            let second = try await client.sync(SyncRequest(cursor: first.cursor, ops: []), token: hub.token)
            #expect(second.upserts.map(\.dossier.reference) == ["A-1"])
            #expect(second.upserts.first?.dossier.status == "paid")
            #expect(second.upserts.first?.dossier.closedAt == Timestamp.string(from: payday))

            // Within the 30 days of retention the agent keeps it.
            hub.clock = payday.addingTimeInterval(29 * 86_400)
            let kept = try await client.sync(SyncRequest(cursor: second.cursor, ops: []), token: hub.token)
            #expect(kept.removals.isEmpty && kept.upserts.isEmpty)

            hub.clock = payday.addingTimeInterval(31 * 86_400)
            let after = try await client.sync(SyncRequest(cursor: kept.cursor, ops: []), token: hub.token)
            #expect(after.removals == [hub.ids["A-1"]!])
            #expect(after.upserts.isEmpty)
            #expect(try await hub.record("A-1").assignedTo == nil)
            #expect(try await hub.record("A-2").assignedTo == "alice")
            #expect(try await hub.store.scope(login: "alice").map(\.dossier.reference) == ["A-2"])

            let quiet = try await client.sync(SyncRequest(cursor: after.cursor, ops: []), token: hub.token)
            #expect(quiet.removals.isEmpty && quiet.upserts.isEmpty)
        }
    }

    /// `importDossiers` moves the balance (`merged`: balance += new amount_due − old) but never re-derives
    /// the status (no `refreshStatus` in SQLiteHubStore+Import.swift): a paid dossier whose claim the
    /// creditor raises keeps status `paid` and its `closed_at`, so it still leaves the agent after
    /// the retention although money is owed.
    @Test func aPaidDossierReimportedWithAHigherClaimIsOpenAgain() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "100.00")])
        _ = try await hub.pay("A-1", "100.00", on: "2027-01-09")
        #expect(try await hub.record("A-1").status == "paid")
        let csv = "reference,debtor_name,amount_due,currency,due_date,phone\nA-1,Jean A-1,150.00,EUR,2026-10-01,0601020304\n"
        _ = try await hub.store.importDossiers(portfolio: "P", rows: try DossierCSV.parse(string: csv).rows, now: hub.clock, progress: nil)
        let record = try await hub.record("A-1")
        #expect(record.balance == 5_000)
        #expect(record.status != "paid")
        #expect(record.closedAt == nil)
    }

    // MARK: - Disputes

    @Test func aDisputeIsOpenedOnceThenRejectedBackToThePreviousStatus() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        var ops = OpFactory()
        let id = hub.ids["A-1"]!
        _ = try await hub.push([ops.make("promise", dossier: id, payload: OpPayload(amount: 10_000, due: "2027-01-20"), at: hub.clock)])
        #expect(try await hub.record("A-1").status == "promised")

        let results = try await hub.push([
            ops.make("dispute", dossier: id, payload: OpPayload(text: "Colis jamais reçu", reason: "not-received"), at: hub.clock),
            ops.make("dispute", dossier: id, payload: OpPayload(reason: "amount"), at: hub.clock),
        ])
        #expect(results.map(\.status) == [.applied, .rejected])
        #expect(results[1].code == "already_disputed")
        #expect(results[1].reason?.contains("A-1") == true)
        let disputed = try await hub.record("A-1")
        #expect(disputed.status == "disputed")
        #expect(disputed.situation == .disputeFollowUp)
        #expect(disputed.work?.disputes.count == 1)
        #expect(disputed.work?.disputes.first?.reason == .notReceived)
        #expect(disputed.work?.disputes.first?.note == "Colis jamais reçu")

        let key = DossierKey(portfolio: nil, reference: "A-1")
        let resolved = try await hub.store.resolveDispute(key, outcome: .rejected, amount: nil, now: hub.clock)
        #expect(resolved.status == "promised")
        #expect(resolved.balance == 50_000)
        #expect(resolved.work?.disputes.first?.state == .rejected)
        #expect(resolved.work?.disputes.first?.resolvedAt == Timestamp.string(from: hub.clock))
        #expect(resolved.work?.promises.first?.state == .active)
        #expect(try await hub.store.dossier(key).events.last?.kind == "dispute-resolved")

        // Nothing left open to resolve.
        let error = await #expect(throws: HomeshoreError.self) {
            _ = try await hub.store.resolveDispute(key, outcome: .upheld, amount: nil, now: hub.clock)
        }
        #expect(error?.code == "no_open_dispute")
        // Once resolved, a new dispute may be opened.
        let reopened = try await hub.push([ops.make("dispute", dossier: id, payload: OpPayload(reason: "amount"), at: hub.clock)])
        #expect(reopened.map(\.status) == [.applied])
    }

    @Test func anUpheldDisputeClosesTheClaimAndCancelsWhatWasPromised() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        try await hub.app().test(.router) { client in
            var ops = OpFactory()
            let id = hub.ids["A-1"]!
            let batch = [
                ops.make("promise", dossier: id, payload: OpPayload(amount: 5_000, due: "2027-01-20"), at: hub.clock),
                ops.make("plan", dossier: id, payload: OpPayload(amount: 5_000, due: "2027-02-01", instalments: 3, every: "2w"), at: hub.clock),
                ops.make("dispute", dossier: id, payload: OpPayload(reason: "identity"), at: hub.clock),
            ]
            let first = try await client.sync(SyncRequest(cursor: 0, ops: batch), token: hub.token)
            #expect(first.results.map(\.status) == [.applied, .applied, .applied])
            #expect(first.upserts.first?.dossier.status == "disputed")

            hub.clock = CollectionsHub.day("2027-01-11")
            let resolved = try await hub.store.resolveDispute(DossierKey(portfolio: nil, reference: "A-1"), outcome: .upheld, amount: nil, now: hub.clock)
            #expect(resolved.status == "closed")
            #expect(resolved.closedAt == Timestamp.string(from: hub.clock))
            #expect(resolved.balance == 50_000)
            #expect(resolved.work?.promises.allSatisfy { $0.state == .cancelled } == true)
            #expect(resolved.work?.promises.count == 4)
            #expect(resolved.work?.plans.first?.state == .cancelled)
            #expect(resolved.work?.disputes.first?.state == .upheld)

            let pulled = try await client.sync(SyncRequest(cursor: first.cursor, ops: []), token: hub.token)
            let change = try #require(pulled.upserts.first)
            #expect(change.dossier.status == "closed")
            #expect(change.dossier.work?.promises.allSatisfy { $0.state == .cancelled } == true)
            #expect(change.events.map(\.kind).contains("dispute-resolved"))

            // A closed claim takes no new promise.
            let refused = try await client.sync(SyncRequest(cursor: pulled.cursor, ops: [
                ops.make("promise", dossier: id, payload: OpPayload(amount: 1_000, due: "2027-01-20"), at: hub.clock),
            ]), token: hub.token)
            #expect(refused.results.first?.code == "dossier_closed")
        }
    }

    @Test func anAdjustedOrPartlyUpheldDisputeSetsTheNewBalance() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00"), ("A-2", "500.00")])
        var ops = OpFactory()
        for ref in ["A-1", "A-2"] {
            _ = try await hub.push([ops.make("dispute", dossier: hub.ids[ref]!, payload: OpPayload(reason: "amount"), at: hub.clock)])
        }
        let a1 = DossierKey(portfolio: nil, reference: "A-1")
        let missing = await #expect(throws: HomeshoreError.self) { _ = try await hub.store.resolveDispute(a1, outcome: .adjusted, amount: nil, now: hub.clock) }
        #expect(missing?.code == "missing_amount")
        let extra = await #expect(throws: HomeshoreError.self) { _ = try await hub.store.resolveDispute(a1, outcome: .rejected, amount: "10.00", now: hub.clock) }
        #expect(extra?.code == "unexpected_amount")
        let higher = await #expect(throws: HomeshoreError.self) { _ = try await hub.store.resolveDispute(a1, outcome: .adjusted, amount: "600.00", now: hub.clock) }
        #expect(higher?.code == "invalid_amount")
        #expect(try await hub.record("A-1").status == "disputed")

        let adjusted = try await hub.store.resolveDispute(a1, outcome: .adjusted, amount: "320.50", now: hub.clock)
        #expect(adjusted.balance == 32_050)
        #expect(adjusted.amountDue == 32_050)
        #expect(adjusted.status == "in-progress")
        #expect(adjusted.work?.disputes.first?.state == .adjusted)
        #expect(adjusted.work?.disputes.first?.adjustedAmount == 32_050)

        let lowered = try await hub.store.resolveDispute(DossierKey(portfolio: nil, reference: "A-2"), outcome: .upheld, amount: "100.00", now: hub.clock)
        #expect(lowered.balance == 10_000)
        #expect(lowered.status == "in-progress")
        #expect(lowered.closedAt == nil)
    }

    // MARK: - Refused ops

    @Test func badCollectionOpsAreRejectedWithTheirCodeAndWriteNothing() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00"), ("B-1", "100.00")])
        _ = try await hub.pay("B-1", "100.00", on: "2027-01-09")
        #expect(try await hub.record("B-1").status == "paid")
        let a1 = hub.ids["A-1"]!
        let cases: [(kind: String, dossier: String, payload: OpPayload, code: String, mentions: String)] = [
            ("promise", a1, OpPayload(amount: 10_000, due: "2027-01-05"), "date_in_past", "2027-01-05"),
            ("promise", a1, OpPayload(amount: 0, due: "2027-01-20"), "invalid_amount", "more than zero"),
            ("promise", a1, OpPayload(amount: -500, due: "2027-01-20"), "invalid_amount", "more than zero"),
            ("promise", a1, OpPayload(amount: 10_000, due: "2027-02-30"), "invalid_date", "2027-02-30"),
            ("promise", a1, OpPayload(amount: 50_001, due: "2027-01-20"), "above_balance", "A-1"),
            ("plan", a1, OpPayload(amount: 100, due: "2027-01-20", instalments: 61, every: "1m"), "invalid_instalments", "61"),
            ("plan", a1, OpPayload(amount: 100, due: "2027-01-20", instalments: 0, every: "1m"), "invalid_instalments", "0"),
            ("plan", a1, OpPayload(amount: 10_000, due: "2027-01-20", instalments: 6, every: "1m"), "above_balance", "600.00"),
            ("plan", a1, OpPayload(amount: 0, due: "2027-01-20", instalments: 3, every: "1m"), "invalid_amount", "more than zero"),
            ("plan", a1, OpPayload(amount: 100, due: "2027-01-20", instalments: 3, every: "3d"), "invalid_step", "3d"),
            ("plan", a1, OpPayload(amount: 100, due: "2027-01-01", instalments: 3, every: "1m"), "date_in_past", "2027-01-01"),
            ("dispute", a1, OpPayload(reason: "angry"), "unknown_reason", "angry"),
            ("dispute", a1, OpPayload(), "unknown_reason", "amount, not-received"),
            ("call", a1, OpPayload(outcome: "maybe"), "unknown_outcome", "maybe"),
            ("call", a1, OpPayload(outcome: "promise", amount: 10_000, due: "2027-01-02"), "date_in_past", "2027-01-02"),
            ("promise", hub.ids["B-1"]!, OpPayload(amount: 1_000, due: "2027-01-20"), "dossier_closed", "B-1"),
            ("plan", hub.ids["B-1"]!, OpPayload(amount: 1_000, due: "2027-01-20", instalments: 2, every: "1m"), "dossier_closed", "B-1"),
        ]
        try await hub.app().test(.router) { client in
            var ops = OpFactory()
            let batch = cases.map { ops.make($0.kind, dossier: $0.dossier, payload: $0.payload, at: hub.clock) }
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: batch), token: hub.token)
            #expect(answer.results.count == cases.count)
            for (result, expected) in zip(answer.results, cases) {
                #expect(result.status == .rejected, "\(expected.kind) \(expected.payload)")
                #expect(result.code == expected.code, "\(expected.kind) \(expected.payload)")
                #expect(result.reason?.contains(expected.mentions) == true, "\(result.reason ?? "no reason") should name \(expected.mentions)")
            }
        }
        for ref in ["A-1", "B-1"] {
            let change = try await hub.store.dossier(DossierKey(portfolio: nil, reference: ref))
            #expect(change.dossier.work == DossierWork(payments: change.dossier.work?.payments ?? []), "\(ref) got work")
            #expect(change.events.allSatisfy { ["assignment", "payment", "promise-kept"].contains($0.kind) }, "\(ref): \(change.events.map(\.kind))")
        }
        #expect(try await hub.record("A-1").status == "new")
        #expect(try await hub.record("A-1").balance == 50_000)
    }

    @Test func aSecondRunningPlanIsRefused() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        var ops = OpFactory()
        let id = hub.ids["A-1"]!
        let results = try await hub.push([
            ops.make("plan", dossier: id, payload: OpPayload(amount: 5_000, due: "2027-01-20", instalments: 2, every: "1m"), at: hub.clock),
            ops.make("plan", dossier: id, payload: OpPayload(amount: 5_000, due: "2027-01-21", instalments: 2, every: "1m"), at: hub.clock),
        ])
        #expect(results.map(\.status) == [.applied, .rejected])
        #expect(results[1].code == "plan_exists")
        #expect(try await hub.record("A-1").work?.promises.count == 2)
    }

    // MARK: - Portfolio policy

    @Test func aPolicyChangeReachesTheAgentAndGovernsPromisesMadeAfterIt() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00"), ("A-2", "500.00")])
        try await hub.app().test(.router) { client in
            var ops = OpFactory()
            let before = ops.make("promise", dossier: hub.ids["A-1"]!, payload: OpPayload(amount: 1_000, due: "2027-01-15"), at: hub.clock)
            let first = try await client.sync(SyncRequest(cursor: 0, ops: [before]), token: hub.token)
            #expect(first.portfolios?.first?.graceDays == 3)

            let policy = try await hub.store.setPolicy(portfolio: "P", PolicyChange(graceDays: 5, planMissedLimit: 1), now: hub.clock)
            #expect(policy.graceDays == 5 && policy.planMissedLimit == 1 && policy.retentionDays == 30 && policy.dossiers == 2)
            let plan = ops.make("plan", dossier: hub.ids["A-2"]!,
                                payload: OpPayload(amount: 1_000, due: "2027-01-15", instalments: 3, every: "2w"), at: hub.clock)
            let after = try await client.sync(SyncRequest(cursor: first.cursor, ops: [plan]), token: hub.token)
            #expect(after.portfolios == [PortfolioRecord(name: "P", graceDays: 5, planMissedLimit: 1, scripts: [:], contact: ContactPolicy())])
            let a2 = try #require(after.upserts.first { $0.dossier.reference == "A-2" }?.dossier)
            #expect(a2.work?.promises.allSatisfy { $0.graceDays == 5 } == true)
            #expect(a2.work?.plans.first?.missedLimit == 1)
            // A promise already made keeps the terms it was made on.
            #expect(try await hub.record("A-1").work?.promises.first?.graceDays == 3)

            // Grace of 5: due 01-15, still in grace on 01-20, missed on 01-21; one miss breaks this plan.
            hub.clock = CollectionsHub.day("2027-01-20")
            let inGrace = try await client.sync(SyncRequest(cursor: after.cursor, ops: []), token: hub.token)
            #expect(inGrace.upserts.map(\.dossier.reference) == ["A-1"])
            #expect(inGrace.upserts.first?.dossier.work?.promises.first?.state == .broken)
            hub.clock = CollectionsHub.day("2027-01-21")
            let missed = try await client.sync(SyncRequest(cursor: inGrace.cursor, ops: []), token: hub.token)
            let broken = try #require(missed.upserts.first { $0.dossier.reference == "A-2" }?.dossier)
            #expect(broken.work?.plans.first?.state == .broken)
            #expect(broken.work?.promises.map(\.state) == [.broken, .cancelled, .cancelled])
        }
    }

    // MARK: - Scripts

    @Test func newScriptsReachTheAgentOnceAndNotAgain() async throws {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00")])
        let bob = try await hub.agentWithDevice("bob")
        try await hub.app().test(.router) { client in
            let first = try await client.sync(SyncRequest(cursor: 0, ops: []), token: hub.token)
            #expect(first.portfolios == [PortfolioRecord(name: "P", graceDays: 3, planMissedLimit: 2, scripts: [:], contact: ContactPolicy())])
            let upToDate = try await client.sync(SyncRequest(cursor: first.cursor, ops: []), token: hub.token)
            #expect(upToDate.portfolios == nil && upToDate.upserts.isEmpty)

            let scripts: [Situation: String] = [.firstContact: "Bonjour {{debtor_name}}", .brokenPromise: "Vous aviez promis {{last_promise}}"]
            try await hub.store.setScripts(portfolio: "P", scripts: scripts, now: hub.clock)
            let changed = try await client.sync(SyncRequest(cursor: upToDate.cursor, ops: []), token: hub.token)
            let portfolio = try #require(changed.portfolios?.first)
            #expect(changed.portfolios?.count == 1)
            #expect(portfolio.scripts == ["first-contact": "Bonjour {{debtor_name}}", "broken-promise": "Vous aviez promis {{last_promise}}"])
            #expect(changed.upserts.isEmpty && changed.removals.isEmpty)
            #expect(changed.cursor > upToDate.cursor)

            let after = try await client.sync(SyncRequest(cursor: changed.cursor, ops: []), token: hub.token)
            #expect(after.portfolios == nil)
            #expect(after.upserts.isEmpty && after.removals.isEmpty)
            #expect(after.cursor == changed.cursor)

            // An agent without dossiers of that portfolio is not sent it.
            let other = try await client.sync(SyncRequest(cursor: 0, ops: []), token: bob)
            #expect(other.portfolios == nil)
        }
        #expect(try await hub.store.portfolio("P")?.scripts["first-contact"] == "Bonjour {{debtor_name}}")
        let error = await #expect(throws: HomeshoreError.self) {
            try await hub.store.setScripts(portfolio: "NOPE", scripts: [.inbound: "x"], now: hub.clock)
        }
        #expect(error?.code == "unknown_portfolio")
    }
}

/// A hub holding a few claims of portfolio P in EUR, all assigned to alice (one enrolled device), with
/// the clock at 10:00 UTC (11:00 in Paris, the same calendar day) on `start`.
final class CollectionsHub: @unchecked Sendable {
    let fixture: HubFixture
    let token: String
    let ids: [String: String]

    var store: SQLiteHubStore { fixture.store }
    var clock: Date {
        get { fixture.clock }
        set { fixture.clock = newValue }
    }

    static func day(_ text: String) -> Date {
        Timestamp.parse(text + "T10:00:00Z")!
    }

    private init(fixture: HubFixture, token: String, ids: [String: String]) {
        self.fixture = fixture
        self.token = token
        self.ids = ids
    }

    static func make(claims: [(reference: String, amount: String)], start: String = "2027-01-10") async throws -> CollectionsHub {
        let fixture = try HubFixture()
        fixture.clock = day(start)
        let csv = "reference,debtor_name,amount_due,currency,due_date,phone\n"
            + claims.map { "\($0.reference),Jean \($0.reference),\($0.amount),EUR,2026-10-01,0601020304\n" }.joined()
        _ = try await fixture.store.importDossiers(portfolio: "P", rows: try DossierCSV.parse(string: csv).rows, now: fixture.clock, progress: nil)
        try await fixture.assign(claims.map(\.reference), to: "alice")
        let token = try await fixture.agentWithDevice("alice")
        var ids: [String: String] = [:]
        for claim in claims { ids[claim.reference] = try await fixture.dossierId(claim.reference) }
        return CollectionsHub(fixture: fixture, token: token, ids: ids)
    }

    func app() throws -> some ApplicationProtocol { try fixture.app() }

    func agentWithDevice(_ login: String) async throws -> String { try await fixture.agentWithDevice(login) }

    func record(_ reference: String) async throws -> DossierRecord {
        try await store.dossier(DossierKey(portfolio: nil, reference: reference)).dossier
    }

    /// Imports one payment line dated `day`, at the hub's clock.
    @discardableResult
    func pay(_ reference: String, _ amount: String, on day: String, id: String? = nil) async throws -> PaymentImportSummary {
        try await store.importPayments([PaymentImportRow(line: 2, reference: reference, amountText: amount, paidOn: day, paymentId: id)], now: clock)
    }

    /// Pushes ops from alice's device straight to the store, at the hub's clock.
    func push(_ ops: [SyncOp]) async throws -> [OpResult] {
        let device = try #require(try await store.authenticate(tokenHash: Secrets.hash(token)))
        return try await store.push(ops, from: device, queued: 0, oldestQueuedAt: nil, now: clock)
    }
}
