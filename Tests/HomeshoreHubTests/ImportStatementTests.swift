import Foundation
import GRDB
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// What an import runs must follow the file, not the hub (issue 10): one statement per new or
/// changed dossier, none per unchanged one, one look-up per payment row, and every statement an
/// indexed search. Counted and planned, never timed.
@Suite struct ImportStatementTests {
    static func rows(_ count: Int, seed: UInt64 = 3) throws -> [DossierImportRow] {
        try DossierCSV.parse(string: SampleDossiers.csv(count: count, seed: seed)).rows
    }

    /// The statements of importing `rows` into a hub already holding `held` other dossiers.
    static func importStatements(_ rows: [DossierImportRow], held: Int = 50, twice: Bool = false,
                                 change: (inout DossierImportRow) -> Void = { _ in }) async throws -> (statements: [String], hub: HubFixture) {
        let hub = try HubFixture()
        _ = try await hub.store.importDossiers(portfolio: "OTHER", rows: try Self.rows(held, seed: 9), now: hub.clock, progress: nil)
        if twice { _ = try await hub.store.importDossiers(portfolio: "P", rows: rows, now: hub.clock, progress: nil) }
        let log = StatementLog()
        try log.watchWriter(of: hub.store)
        var changed = rows
        for index in changed.indices { change(&changed[index]) }
        _ = try await hub.store.importDossiers(portfolio: "P", rows: changed, now: hub.clock, progress: nil)
        return (log.take(), hub)
    }

    static func expectIndexed(_ statements: [String], in hub: HubFixture) throws {
        try hub.store.pool.read { db in
            for sql in statements {
                let scans = try StatementPlans.scans(db, sql)
                #expect(scans.isEmpty, "\(sql.prefix(300))\n  \(scans)")
            }
        }
    }

    @Test func aNewPortfolioTakesOneStatementPerDossier() async throws {
        let small = try await Self.importStatements(try Self.rows(20))
        let large = try await Self.importStatements(try Self.rows(60))
        #expect(large.statements.count - small.statements.count == 40, "one INSERT per new dossier, ranked as it is written")
        #expect(large.statements.filter { $0.hasPrefix("INSERT INTO dossiers") }.count == 60)
        #expect(!large.statements.contains { $0.hasPrefix("UPDATE dossiers SET segment") }, "no second pass to rank what was just written")
        try Self.expectIndexed(large.statements, in: large.hub)
    }

    @Test func anUnchangedFileRunsTheSameStatementsWhateverItsSize() async throws {
        let small = try await Self.importStatements(try Self.rows(20), twice: true)
        let large = try await Self.importStatements(try Self.rows(60), twice: true)
        #expect(small.statements.count == large.statements.count)
        #expect(!large.statements.contains { $0.hasPrefix("UPDATE") || $0.hasPrefix("INSERT INTO dossiers") })
        try Self.expectIndexed(large.statements, in: large.hub)
    }

    @Test func changedDossiersTakeOneUpdateEachAndSettleOnlyWhenTheClaimMoves() async throws {
        // New names only: one UPDATE each, nothing settled.
        let renamed = try await Self.importStatements(try Self.rows(30), twice: true) { $0.debtorName += " Jr" }
        #expect(renamed.statements.filter { $0.hasPrefix("UPDATE dossiers SET debtor_name") }.count == 30)
        let unchanged = try await Self.importStatements(try Self.rows(30), twice: true)
        #expect(renamed.statements.count - unchanged.statements.count == 31, "one UPDATE each, and one block of sequence numbers")
        // New amounts: settled, and every statement of settling is an indexed search too.
        let raised = try await Self.importStatements(try Self.rows(30), twice: true) { $0.amountDue += 100 }
        #expect(raised.statements.filter { $0.hasPrefix("UPDATE dossiers SET debtor_name") }.count == 30)
        try Self.expectIndexed(raised.statements, in: raised.hub)
    }

    @Test func aPaymentsFileLooksUpEachDossierByIndexAndGrowsLinearly() async throws {
        func statements(_ count: Int) async throws -> [String] {
            let hub = try HubFixture()
            try await hub.importSample(count: 90)
            let log = StatementLog()
            try log.watchWriter(of: hub.store)
            let rows = (1...count).map { PaymentImportRow(line: $0 + 1, reference: String(format: "D-%06d", $0), amountText: "1.00",
                                                          paidOn: AgencyCalendar.day(of: hub.clock), paymentId: "P\($0)") }
            _ = try await hub.store.importPayments(rows, now: hub.clock)
            let taken = log.take()
            try Self.expectIndexed(taken, in: hub)
            // The same file again records nothing and settles nothing.
            let again = try await hub.store.importPayments(rows, now: hub.clock)
            #expect(again.recorded == 0 && again.duplicates == count)
            #expect(!log.take().contains { $0.hasPrefix("UPDATE dossiers") })
            return taken
        }
        let (a, b, c) = (try await statements(10).count, try await statements(20).count, try await statements(30).count)
        #expect(c - b == b - a, "each payment of a distinct dossier costs the same number of statements")
    }

    /// A dossier's priority as the import stores it is the one the rules give it from its record.
    @Test func importedDossiersAreRankedAsTheRulesRankTheirRecord() async throws {
        let hub = try HubFixture()
        hub.clock = try #require(Timestamp.parse("2026-11-02T09:00:00.000Z"))
        var rows = try Self.rows(80)
        rows[0].currency = "JPY"
        rows[1].dueDate = "2027-02-01"
        _ = try await hub.store.importDossiers(portfolio: "P", rows: rows, now: hub.clock, progress: nil)
        let stored = try await hub.store.pool.read { db in
            try Row.fetchAll(db, sql: SQLiteHubStore.dossierSelect + " WHERE d.portfolio = 'P'").map {
                (SQLiteHubStore.dossier(from: $0), $0["priority"] as Int, $0["segment"] as String)
            }
        }
        #expect(stored.count == 80)
        let today = AgencyCalendar.day(of: hub.clock)
        for (dossier, priority, segment) in stored {
            let expected = Priority.score(Priority.Input.from(dossier: dossier, lastContact: nil, now: hub.clock), now: hub.clock).value
            #expect(priority == expected, "\(dossier.reference)")
            #expect(segment == Segment.of(vip: dossier.vip, customerSince: dossier.customerSince, priorIncidents: dossier.priorIncidents,
                                          amountDue: dossier.amountDue, today: today).rawValue)
        }
    }
}
