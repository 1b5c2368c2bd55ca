import Foundation
import GRDB
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// Every statement the reports and the dashboard's team page run is an indexed search: none reads
/// the dossiers, their events or the daily rollups whole (issue 10). Planned, never timed.
@Suite struct ReportQueryPlanTests {
    @Test func reportsAndTheTeamPageSearchIndexesOnly() async throws {
        let hub = try HubFixture()
        hub.clock = try #require(Timestamp.parse("2026-11-20T17:00:00.000Z"))
        _ = try await ActivityGenerator(seed: 4, agents: 3, days: 40, dossiersPerPortfolio: 30).run(on: hub.store, now: hub.clock)
        let today = AgencyCalendar.day(of: hub.clock)
        let periods = [ReportFilter(from: today, to: today), ReportFilter(from: "2026-10-05", to: today),
                       ReportFilter(from: "2025-11-21", to: today, team: "nord"), ReportFilter(from: "2026-10-01", to: "2026-10-31", portfolio: "TELCO-EST")]
        let log = StatementLog()
        let now = hub.clock
        let statements = try await hub.store.pool.read { db in
            log.watch(db)
            defer { db.trace(options: .statement, nil) }
            for filter in periods {
                _ = try SQLiteHubStore.agentRows(db, filter)
                _ = try SQLiteHubStore.dailyRows(db, agent: "agent01", filter)
                _ = try SQLiteHubStore.portfolioRows(db, filter, now: now)
                _ = try SQLiteHubStore.disputeRows(db, filter)
                _ = try SQLiteHubStore.brokenPromiseRows(db, filter, limit: 20)
            }
            // All time: the monthly rollups only.
            _ = try SQLiteHubStore.agentRows(db, ReportFilter())
            return log.take()
        }
        #expect(statements.count >= 20)
        #expect(statements.contains { $0.contains("FROM metrics_monthly m") })
        try await hub.store.pool.read { db in
            for sql in statements {
                let scans = try StatementPlans.scans(db, sql)
                #expect(scans.isEmpty, "\(sql.prefix(400))\n  \(scans)")
            }
        }
        let allTime = statements.last { $0.contains("metrics_") } ?? ""
        #expect(!allTime.contains("metrics_daily"), "an all-time report reads no daily rollup")
    }
}
