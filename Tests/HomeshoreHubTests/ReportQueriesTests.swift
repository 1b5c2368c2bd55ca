import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// What each report says on a small hub whose every figure is known by hand.
@Suite struct ReportQueriesTests {
    /// Two agents in two teams; alice calls twice and obtains a promise that a payment keeps, bob
    /// calls once and his promise breaks; an unrelated payment credits no one.
    func office() async throws -> (hub: HubFixture, promiseDue: String) {
        let hub = try HubFixture()
        hub.clock = try #require(Timestamp.parse("2026-11-02T09:00:00.000Z"))
        try await hub.importSample(count: 4)
        _ = try await hub.store.createAgent(NewAgent(login: "alice", name: "Alice Ané", team: "nord"), now: hub.clock)
        _ = try await hub.store.createAgent(NewAgent(login: "bob", name: "Bob", team: "sud"), now: hub.clock)
        let alice = try #require(try await hub.store.authenticate(tokenHash: Secrets.hash(try await hub.deviceHolding(["D-000001", "D-000002"], for: "alice"))))
        let bob = try #require(try await hub.store.authenticate(tokenHash: Secrets.hash(try await hub.deviceHolding(["D-000003"], for: "bob"))))
        var ops = OpFactory()
        let callDay = try #require(Timestamp.parse("2026-11-03T10:00:00.000Z"))
        let due = "2026-11-06"
        let d1 = try await hub.dossierId("D-000001")
        let d3 = try await hub.dossierId("D-000003")
        hub.clock = callDay
        let aliceOps = [
            ops.make("call", dossier: d1, payload: OpPayload(outcome: "no-answer", durationSeconds: 0, at: "2026-11-03T09:00:00.000Z"), at: callDay),
            ops.make("call", dossier: d1, payload: OpPayload(outcome: "promise", durationSeconds: 120, at: "2026-11-03T10:00:00.000Z",
                                                             amount: 10_000, due: due, wrapUpSeconds: 60), at: callDay),
        ]
        #expect(try await hub.store.push(aliceOps, from: alice, queued: 0, oldestQueuedAt: nil, now: callDay).allSatisfy { $0.status == .applied })
        var bobOps = OpFactory()
        let bobCall = [bobOps.make("call", dossier: d3, payload: OpPayload(outcome: "promise", durationSeconds: 300, at: "2026-11-03T11:00:00.000Z",
                                                                           amount: 5_000, due: due), at: callDay)]
        // Bob's laptop keeps one op unsent since the morning.
        #expect(try await hub.store.push(bobCall, from: bob, queued: 1, oldestQueuedAt: "2026-11-03T08:00:00.000Z", now: callDay).allSatisfy { $0.status == .applied })
        hub.clock = try #require(Timestamp.parse("2026-11-05T18:00:00.000Z"))
        _ = try await hub.store.importPayments([
            PaymentImportRow(line: 2, reference: "D-000001", amountText: "100.00", paidOn: "2026-11-05", paymentId: "P1"),
            PaymentImportRow(line: 3, reference: "D-000004", amountText: "20.00", paidOn: "2026-11-05", paymentId: "P2"),
        ], now: hub.clock)
        hub.clock = try #require(Timestamp.parse("2026-11-12T08:00:00.000Z"))
        _ = try await hub.store.settleDue(now: hub.clock)
        return (hub, due)
    }

    @Test func agentsAndPromisesReportsAddUpTheDay() async throws {
        let (hub, due) = try await office()
        let agents = try await hub.store.agentReport(ReportFilter(from: "2026-11-03", to: "2026-11-06"))
        let alice = try #require(agents.first { $0.agent == "alice" })
        #expect(alice.totals.attempts == 2 && alice.totals.contacts == 1 && alice.totals.rightParty == 1)
        #expect(alice.totals.promisesMade == 1 && alice.totals.promisedAmount == ["EUR": 10_000])
        #expect(alice.totals.promisesDue == 1 && alice.totals.promisesKept == 1)
        #expect(alice.totals.collected == ["EUR": 10_000], "the payment keeping alice's promise is credited to her")
        #expect(alice.totals.averageHandlingSeconds == 90, "(120 s talk + 60 s wrap-up) / 2 calls")
        let bob = try #require(agents.first { $0.agent == "bob" })
        #expect(bob.totals.promisesBroken == 1 && bob.totals.collected.isEmpty && bob.totals.keptRate == 0)

        let table = HubReports.agents(agents)
        let aliceLine = try #require(table.rows.first { $0.first == "alice" })
        #expect(aliceLine == ["alice", "Alice Ané", "nord", "2", "1", "1", "50.0%", "1", "100.0%", "100.00 EUR", "1", "1", "100.0%",
                              "100.00 EUR", "1:30", "0", aliceLine.last ?? ""])

        #expect(try await hub.store.agentReport(ReportFilter(team: "sud")).map(\.agent) == ["bob"])
        #expect(try await hub.store.agentReport(ReportFilter(from: "2026-11-04", to: "2026-11-05")).allSatisfy { $0.totals.attempts == 0 },
                "calls count on the day they were made")

        let promises = try await hub.store.promiseReport(ReportFilter(from: due, to: due))
        #expect(promises.map { [$0.agent ?? "", "\($0.due)", "\($0.kept)", "\($0.broken)"] } == [["alice", "1", "1", "0"], ["bob", "1", "0", "1"]])
        let broken = try await hub.store.brokenPromises(ReportFilter(), limit: 10)
        #expect(broken.map(\.reference) == ["D-000003"] && broken.first?.agent == "bob")
    }

    @Test func portfolioReportShowsAgeBucketsAndLiquidation() async throws {
        let (hub, _) = try await office()
        let row = try #require(try await hub.store.portfolioReport(ReportFilter(), now: hub.clock).first)
        #expect(row.portfolio == "P" && row.dossiers == 4)
        #expect(row.totals.collected == ["EUR": 12_000], "every payment counts for the portfolio, credited or not")
        let placed = try #require(row.placedToDate["EUR"])
        #expect(row.liquidationRate == Double(12_000) / Double(placed))
        #expect(row.ageBuckets.dossiers == [Int64(row.openDossiers), 0, 0, 0], "placed 10 days ago")
        let later = try #require(try await hub.store.portfolioReport(ReportFilter(), now: hub.clock.addingTimeInterval(45 * 86_400)).first)
        #expect(later.ageBuckets.dossiers == [0, Int64(row.openDossiers), 0, 0])
        #expect(later.ageBuckets.balances[1] == row.openBalance)
    }

    @Test func syncReportFlagsSilentDevicesAndTheAgeOfTheirQueue() async throws {
        let (hub, _) = try await office()
        let rows = try await hub.store.syncReport(now: try #require(Timestamp.parse("2026-11-03T20:00:00.000Z")), silentAfter: 24 * 3_600)
        let bob = try #require(rows.first { $0.agent == "bob" })
        #expect(bob.queued == 1 && bob.oldestQueuedAt == "2026-11-03T08:00:00.000Z" && bob.oldestQueuedAgeSeconds == 12 * 3_600)
        #expect(!bob.silent)
        let later = try await hub.store.syncReport(now: try #require(Timestamp.parse("2026-11-05T20:00:00.000Z")), silentAfter: 24 * 3_600)
        #expect(later.allSatisfy { $0.silent }, "two days without a sync")
        let table = HubReports.sync(later, now: hub.clock)
        #expect(table.rows.first { $0.first == "bob" }?[7] == "2d 12h")
    }

    @Test func creditorExportHasOneRowPerDossier() async throws {
        let (hub, _) = try await office()
        let rows = try await HubReports(store: hub.store).dossierRows(ReportFilter(portfolio: "P"))
        #expect(rows.map(\.reference) == ["D-000001", "D-000002", "D-000003", "D-000004"])
        let first = rows[0]
        #expect(first.promises == 1 && first.promisesKept == 1 && first.payments == 1 && first.paidAmount == 10_000)
        #expect(first.lastAction == "promise-kept" || first.lastAction == "payment")
        #expect(rows[2].promisesBroken == 1 && rows[2].lastAction != nil)
        await #expect(throws: HomeshoreError.self) { try await HubReports(store: hub.store).dossierRows(ReportFilter()) }
        await #expect(throws: HomeshoreError.self) { try await hub.store.dossierExport(portfolio: "NOPE") }
    }

    /// Solved within 30 days goes by the day the debtor paid, not the day the bank file arrived.
    @Test func solvedWithin30DaysGoesByThePaymentDay() async throws {
        let hub = try HubFixture()
        hub.clock = try #require(Timestamp.parse("2026-09-01T08:00:00.000Z"))
        try await hub.importSample(count: 2)
        let amounts = try await hub.store.dossierExport(portfolio: "P").map { Money.format($0.amountDue, currency: $0.currency) }
        hub.clock = try #require(Timestamp.parse("2026-10-10T08:00:00.000Z"))  // 39 days after placement
        _ = try await hub.store.importPayments([
            PaymentImportRow(line: 2, reference: "D-000001", amountText: amounts[0], paidOn: "2026-09-23", paymentId: "late-file"),
            PaymentImportRow(line: 3, reference: "D-000002", amountText: amounts[1], paidOn: "2026-10-05", paymentId: "too-late"),
        ], now: hub.clock)
        let row = try #require(try await hub.store.portfolioReport(ReportFilter(), now: hub.clock).first)
        #expect(row.openDossiers == 0 && row.totals.placedDossiers == 2)
        #expect(row.totals.solvedWithin30Days == 1, "paid on day 22, imported on day 39: solved within 30 days")
    }
}
