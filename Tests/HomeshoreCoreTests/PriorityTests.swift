import Foundation
import HomeshoreCore
import Testing

private func utc(_ text: String) -> Date {
    guard let date = Timestamp.parse(text) else { fatalError("bad test timestamp \(text)") }
    return date
}

@Suite struct SegmentTests {
    @Test func rulesInOrder() {
        let today = "2027-03-23"
        // VIP wins over everything.
        #expect(Segment.of(vip: true, customerSince: "2027-01-01", priorIncidents: 5, amountDue: 100, today: today) == .vip)
        // Two prior incidents make a repeat defaulter, even a recent customer.
        #expect(Segment.of(vip: false, customerSince: "2027-01-01", priorIncidents: 2, amountDue: 100, today: today) == .repeatDefaulter)
        #expect(Segment.of(vip: false, customerSince: "2027-01-01", priorIncidents: 1, amountDue: 100, today: today) == .newCustomer)
        // Within the last 365 days: 2026-03-23 is 365 days before 2027-03-23.
        #expect(Segment.of(vip: false, customerSince: "2026-03-23", priorIncidents: 0, amountDue: 100, today: today) == .newCustomer)
        #expect(Segment.of(vip: false, customerSince: "2026-03-22", priorIncidents: 0, amountDue: 100, today: today) == .standard)
        #expect(Segment.of(vip: false, customerSince: "2027-03-23", priorIncidents: 0, amountDue: 100, today: today) == .newCustomer)
        #expect(Segment.of(vip: false, customerSince: nil, priorIncidents: 0, amountDue: 100, today: today) == .standard)
        #expect(Segment.of(vip: false, customerSince: "garbage", priorIncidents: 0, amountDue: 100, today: today) == .standard)
        #expect(Segment.of(vip: false, customerSince: "2015-06-01", priorIncidents: 1, amountDue: 100, today: today) == .standard)
    }

    @Test func rawValuesAndWeights() {
        #expect(Segment.allCases.map(\.rawValue) == ["vip", "new-customer", "repeat-defaulter", "standard"])
        #expect(Segment.vip.weight > Segment.repeatDefaulter.weight)
        #expect(Segment.repeatDefaulter.weight > Segment.newCustomer.weight)
        #expect(Segment.newCustomer.weight > Segment.standard.weight)
        // Each step of segment outweighs amount and days past due together.
        #expect(Segment.newCustomer.weight - Segment.standard.weight > Priority.maxAmountPoints + Priority.maxDaysPastDuePoints)
        #expect(Segment.vip.weight + Priority.maxAmountPoints + Priority.maxDaysPastDuePoints < Priority.firstMonthPoints)
    }
}

@Suite struct PriorityTests {
    // Tuesday 23 March 2027, 15:00 in Paris (CET).
    let now = utc("2027-03-23T14:00:00Z")

    @Test func orderOfImportanceOnHandMadeCases() {
        let everythingBelow = Priority.Input(brokenPromiseSinceLastContact: true, daysSincePlacement: 2, segment: .vip,
                                             balance: 500_000_000, daysPastDue: 400)
        let cases: [(String, Priority.Input)] = [
            ("callback due", Priority.Input(callbackDue: utc("2027-03-23T13:30:00Z"))),
            ("promise due today", Priority.Input(dues: [.init(amount: 5_000, due: "2027-03-23")], brokenPromiseSinceLastContact: true,
                                                 daysSincePlacement: 2, segment: .vip, balance: 500_000_000, daysPastDue: 400)),
            ("broken promise", everythingBelow),
            ("first month", Priority.Input(daysSincePlacement: 29, segment: .vip, balance: 500_000_000, daysPastDue: 400)),
            ("vip", Priority.Input(daysSincePlacement: 30, segment: .vip, balance: 100, daysPastDue: 0)),
            ("repeat defaulter, huge", Priority.Input(daysSincePlacement: 200, segment: .repeatDefaulter, balance: 500_000_000, daysPastDue: 400)),
            ("new customer", Priority.Input(daysSincePlacement: 200, segment: .newCustomer)),
            ("large amount", Priority.Input(daysSincePlacement: 200, balance: 2_000_000, daysPastDue: 10)),
            ("small amount, a month late", Priority.Input(daysSincePlacement: 200, balance: 5_000, daysPastDue: 30)),
            ("small amount", Priority.Input(daysSincePlacement: 200, balance: 5_000, daysPastDue: 3)),
            ("nothing", Priority.Input(daysSincePlacement: 200)),
        ]
        let values = cases.map { Priority.score($0.1, now: now).value }
        for index in 1..<values.count {
            #expect(values[index - 1] > values[index], "\(cases[index - 1].0) \(values[index - 1]) vs \(cases[index].0) \(values[index])")
        }
        #expect(values.last == 0)
    }

    @Test func valuesFollowTheTable() {
        let full = Priority.Input(callbackDue: utc("2027-03-23T13:30:00Z"), dues: [.init(amount: 5_000, due: "2027-03-23")],
                                  brokenPromiseSinceLastContact: true, daysSincePlacement: 5, segment: .vip,
                                  balance: 10_000_000, daysPastDue: 300)
        #expect(Priority.score(full, now: now).value == 8000 + 4000 + 2000 + 1000 + 750 + 100 + 60)
        // A callback later today is not due yet; a promise due tomorrow is not due yet.
        let notYet = Priority.Input(callbackDue: utc("2027-03-23T16:00:00Z"), dues: [.init(amount: 5_000, due: "2027-03-24")],
                                    daysSincePlacement: 45)
        #expect(Priority.score(notYet, now: now) == Priority.Score(value: 0, reasons: []))
        // Several due promises count once.
        let two = Priority.Input(dues: [.init(amount: 1, due: "2027-03-20"), .init(amount: 2, due: "2027-03-23")], daysSincePlacement: 45)
        #expect(Priority.score(two, now: now).value == 4000)
    }

    @Test func reasonsAreSentences() {
        let input = Priority.Input(callbackDue: utc("2027-03-23T13:30:00Z"),
                                   dues: [.init(amount: 5_000, due: "2027-03-23"), .init(amount: 3_000, due: "2027-03-20", instalment: 2),
                                          .init(amount: 9_999, due: "2027-04-20")],
                                   brokenPromiseSinceLastContact: true, daysSincePlacement: 5, segment: .newCustomer,
                                   balance: 123_450, currency: "EUR", daysPastDue: 45)
        let score = Priority.score(input, now: now)
        #expect(score.reasons == [
            "callback due at 14:30",
            "instalment 2 of 30.00 EUR overdue since 2027-03-20",
            "promise of 50.00 EUR due today",
            "a promise was broken since the last contact",
            "placed 5 days ago (first month)",
            "new customer",
            "balance 1234.50 EUR",
            "45 days past due",
        ])
        #expect(score.value == 8000 + 4000 + 2000 + 1000 + 250 + Priority.amountPoints(123_450, currency: "EUR") + 15)

        let older = Priority.Input(callbackDue: utc("2027-03-22T08:15:00Z"), daysSincePlacement: 0, segment: .vip)
        #expect(Priority.score(older, now: now).reasons == ["callback due since 2027-03-22 09:15", "placed today (first month)", "VIP customer"])
        #expect(Priority.score(Priority.Input(daysSincePlacement: 1), now: now).reasons == ["placed 1 day ago (first month)"])
    }

    @Test func amountIsLogScaledAndBounded() {
        #expect(Priority.amountPoints(99, currency: "EUR") == 0)
        #expect(Priority.amountPoints(100, currency: "EUR") == 0)
        #expect(Priority.amountPoints(1_000, currency: "EUR") == 20)
        #expect(Priority.amountPoints(10_000, currency: "EUR") == 40)
        #expect(Priority.amountPoints(50_000, currency: "EUR") == 48)
        #expect(Priority.amountPoints(100_000, currency: "EUR") == 60)
        #expect(Priority.amountPoints(1_000_000, currency: "EUR") == 80)
        #expect(Priority.amountPoints(10_000_000, currency: "EUR") == 100)
        #expect(Priority.amountPoints(Money.maxMinorUnits, currency: "EUR") == 100)
        #expect(Priority.amountPoints(1_000, currency: "JPY") == 60)
        #expect(Priority.amountPoints(-5_000, currency: "EUR") == 0)
        // Monotonic.
        var previous = 0
        for balance in stride(from: Int64(0), through: 20_000_000, by: 997) {
            let points = Priority.amountPoints(balance, currency: "EUR")
            #expect(points >= previous)
            previous = points
        }
        #expect(Priority.daysPastDuePoints(-3) == 0)
        #expect(Priority.daysPastDuePoints(45) == 15)
        #expect(Priority.daysPastDuePoints(10_000) == 60)
    }

    @Test func inputFromADossier() {
        let lastContact = utc("2027-03-20T10:00:00Z")
        let work = DossierWork(
            promises: [
                PromiseRecord(id: "p1", amount: 10_000, paid: 2_500, due: "2027-03-23", graceDays: 3, agent: "ana", createdAt: "2027-03-10T09:00:00.000Z"),
                PromiseRecord(id: "p2", amount: 4_000, due: "2027-03-10", graceDays: 3, state: .broken, agent: "ana",
                              createdAt: "2027-03-01T09:00:00.000Z", settledAt: "2027-03-21T02:00:00.000Z"),
                PromiseRecord(id: "p3", amount: 4_000, due: "2027-04-10", graceDays: 3, state: .kept, agent: "ana",
                              createdAt: "2027-03-01T09:00:00.000Z", settledAt: "2027-03-15T02:00:00.000Z"),
            ])
        let dossier = DossierRecord(
            id: "d1", portfolio: "acme", reference: "R-1", debtorName: "Jean Dupont", debtorType: "person",
            amountDue: 120_000, balance: 100_000, currency: "EUR", dueDate: "2027-01-22", timezone: "Europe/Paris", language: "fr",
            customerSince: "2026-09-01", priorIncidents: 1, vip: false, status: "open", nextCallback: "2027-03-23T13:30:00.000Z",
            placedAt: "2027-03-17T23:30:00.000Z", work: work)
        let input = Priority.Input.from(dossier: dossier, lastContact: lastContact, now: now)
        #expect(input.callbackDue == utc("2027-03-23T13:30:00Z"))
        #expect(input.dues == [.init(amount: 7_500, due: "2027-03-23")])
        #expect(input.brokenPromiseSinceLastContact)
        // Placed at 00:30 on 18 March, Paris time: five agency days ago.
        #expect(input.daysSincePlacement == 5)
        #expect(input.segment == .newCustomer)
        #expect(input.balance == 100_000)
        #expect(input.daysPastDue == 60)
        #expect(Priority.score(input, now: now).reasons.prefix(3) == ["callback due at 14:30", "promise of 75.00 EUR due today",
                                                                       "a promise was broken since the last contact"])

        // Called after the promise broke: no longer a reason.
        #expect(!Priority.Input.from(dossier: dossier, lastContact: utc("2027-03-22T10:00:00Z"), now: now).brokenPromiseSinceLastContact)
        // Never called: it counts.
        #expect(Priority.Input.from(dossier: dossier, lastContact: nil, now: now).brokenPromiseSinceLastContact)

        // A missed instalment of a cancelled plan is not chased.
        var cancelled = dossier
        cancelled.work = DossierWork(
            promises: [PromiseRecord(id: "i1", amount: 4_000, due: "2027-03-10", graceDays: 3, state: .broken, planId: "plan",
                                     instalment: 1, agent: "ana", createdAt: "2027-03-01T09:00:00.000Z", settledAt: "2027-03-21T02:00:00.000Z")],
            plans: [PlanRecord(id: "plan", instalments: 3, amount: 4_000, first: "2027-03-10", every: "month", state: .cancelled,
                               missedLimit: 2, agent: "ana", createdAt: "2027-03-01T09:00:00.000Z")])
        #expect(!Priority.Input.from(dossier: cancelled, lastContact: nil, now: now).brokenPromiseSinceLastContact)
        // No work at all, no callback.
        var bare = dossier
        bare.work = nil
        bare.nextCallback = nil
        bare.vip = true
        let bareInput = Priority.Input.from(dossier: bare, lastContact: nil, now: now)
        #expect(bareInput.callbackDue == nil && bareInput.dues.isEmpty && !bareInput.brokenPromiseSinceLastContact)
        #expect(bareInput.segment == .vip)
    }

    @Test func deterministic() {
        let input = Priority.Input(callbackDue: utc("2027-03-23T13:30:00Z"), daysSincePlacement: 3, segment: .vip, balance: 777_777, daysPastDue: 77)
        #expect(Priority.score(input, now: now) == Priority.score(input, now: now))
    }
}
