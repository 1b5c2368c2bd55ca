import Foundation
import GRDB
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// Settling is batched (issue 10): a payments file, the periodic settlement and a re-import that
/// moves claims run the same statements whatever number of dossiers they settle, every one an
/// indexed search. Counted, never timed: a statement per dossier would make these counts grow.
@Suite struct SettlementStatementTests {
    /// The statements of importing one payment into each of the first `count` of 200 dossiers.
    static func paymentStatements(_ count: Int) async throws -> (statements: [String], summary: PaymentImportSummary, hub: HubFixture) {
        let hub = try HubFixture()
        try await hub.importSample(count: 200)
        let log = StatementLog()
        try log.watchWriter(of: hub.store)
        let rows = (1...count).map { PaymentImportRow(line: $0 + 1, reference: String(format: "D-%06d", $0), amountText: "1.00",
                                                      paidOn: AgencyCalendar.day(of: hub.clock), paymentId: "P\($0)") }
        let summary = try await hub.store.importPayments(rows, now: hub.clock)
        return (log.take(), summary, hub)
    }

    @Test func aPaymentsFileRunsTheSameStatementsWhateverItsSize() async throws {
        let small = try await Self.paymentStatements(10)
        let large = try await Self.paymentStatements(150)
        #expect(small.summary.recorded == 10 && large.summary.recorded == 150)
        // Rollup rows are one upsert each (a day and a currency here), however many dossiers they sum.
        func perFile(_ statements: [String]) -> [String] { statements.filter { !$0.hasPrefix("INSERT INTO metrics_daily") } }
        // Fifteen times the dossiers: the same statements, give or take the update of dossiers whose
        // priority moved (none may move in a small file).
        let (few, many) = (perFile(small.statements).count, perFile(large.statements).count)
        #expect(many >= few && many <= few + 1, "\(large.statements.joined(separator: "\n"))")
        #expect(many < 30)
        let currencies = try await large.hub.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT currency) FROM dossiers WHERE reference <= 'D-000150'") ?? 0
        }
        #expect(large.statements.filter { $0.hasPrefix("INSERT INTO metrics_daily") }.count == currencies)
        #expect(large.statements.filter { $0.hasPrefix("UPDATE dossiers") }.count <= 2, "one update for the payments, one for the settlement")
        try ImportStatementTests.expectIndexed(large.statements, in: large.hub)
    }

    @Test func aPaymentsFileReportsItsProgress() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 30)
        let rows = (1...30).map { PaymentImportRow(line: $0 + 1, reference: String(format: "D-%06d", $0), amountText: "2.00",
                                                   paidOn: AgencyCalendar.day(of: hub.clock), paymentId: "Q\($0)") }
        let steps = StepLog()
        _ = try await hub.store.importPayments(rows, now: hub.clock) { steps.append($0) }
        #expect(steps.all.first == .recorded(30, of: 30))
        #expect(steps.all.last == .settled(30, of: 30))
    }

    @Test func settlingDueDossiersRunsTheSameStatementsWhateverTheirNumber() async throws {
        func statements(_ count: Int) async throws -> [String] {
            let hub = try HubFixture()
            try await hub.importSample(count: 200)
            let day = AgencyCalendar.day(of: hub.clock.addingTimeInterval(-10 * 86_400))
            try await hub.store.pool.write { db in
                for reference in HubFixture.refs(1...count) {
                    let id = try #require(try String.fetchOne(db, sql: "SELECT id FROM dossiers WHERE reference = ?", arguments: [reference]))
                    try SQLiteHubStore.insertPromise(db, id: "promise-\(reference)", dossierId: id, amount: 1_000, due: day, agent: nil,
                                                     graceDays: 3, now: hub.clock.addingTimeInterval(-12 * 86_400))
                }
            }
            let log = StatementLog()
            try log.watchWriter(of: hub.store)
            #expect(try await hub.store.settleDue(now: hub.clock) == count, "every promise broke")
            let taken = log.take()
            try ImportStatementTests.expectIndexed(taken, in: hub)
            return taken
        }
        let small = try await statements(5).filter { !$0.hasPrefix("INSERT INTO metrics_daily") }
        let large = try await statements(120).filter { !$0.hasPrefix("INSERT INTO metrics_daily") }
        #expect(small.count == large.count, "\(large.joined(separator: "\n"))")
    }
}

/// Progress steps, collected from a `@Sendable` callback.
final class StepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [PaymentImportProgress] = []
    func append(_ step: PaymentImportProgress) { lock.withLock { steps.append(step) } }
    var all: [PaymentImportProgress] { lock.withLock { steps } }
}
