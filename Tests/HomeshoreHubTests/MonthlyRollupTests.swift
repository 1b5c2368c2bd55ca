import Foundation
import GRDB
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// The monthly rollups are the daily ones summed by month, whatever writes the daily ones; the
/// reports read them so a year costs a row per month and agent, and give the figures the daily
/// rows give for every period (issue 10).
@Suite struct MonthlyRollupTests {
    static let columns = MetricColumn.allCases.map(\.rawValue)

    /// metrics_daily summed by month, as metrics_monthly must hold it.
    static func expectMonthlyMatchesDaily(_ db: Database, _ comment: Comment? = nil) throws {
        let keys = "month, agent, team, portfolio, currency"
        let fromDaily = try Row.fetchAll(db, sql: """
            SELECT substr(day, 1, 7) AS month, agent, team, portfolio, currency, COUNT(*) AS days,
            \(columns.map { "SUM(\($0)) AS \($0)" }.joined(separator: ", "))
            FROM metrics_daily GROUP BY \(keys) ORDER BY \(keys)
            """)
        let monthly = try Row.fetchAll(db, sql: "SELECT \(keys), days, \(columns.joined(separator: ", ")) FROM metrics_monthly ORDER BY \(keys)")
        #expect(fromDaily == monthly, comment)
    }

    @Test func theMonthlyTableHasEveryRollupColumn() throws {
        let hub = try HubFixture()
        let names = try hub.store.pool.read { db in try db.columns(in: "metrics_monthly").map(\.name) }
        #expect(Set(Self.columns).isSubset(of: Set(names)), "a new metric column needs a migration of metrics_monthly and its triggers")
        let daily = try hub.store.pool.read { db in try db.columns(in: "metrics_daily").map(\.name) }
        #expect(Set(daily).subtracting(["day"]) == Set(names).subtracting(["month", "days"]))
    }

    @Test func mergesSettlementFoldingAndDirectWritesKeepTheMonthsInStep() async throws {
        let hub = try HubFixture()
        hub.clock = try #require(Timestamp.parse("2026-11-20T17:00:00.000Z"))
        _ = try await ActivityGenerator(seed: 5, agents: 4, days: 70, dossiersPerPortfolio: 40).run(on: hub.store, now: hub.clock)
        try await hub.store.pool.read { db in try Self.expectMonthlyMatchesDaily(db, "after weeks of merged work") }
        let folded = try await hub.store.foldAgentMetrics(before: "2026-10-10")
        #expect(folded > 0)
        try await hub.store.pool.read { db in try Self.expectMonthlyMatchesDaily(db, "after folding into teams") }
        // Whoever writes the daily rows (a bulk loader, a repair), the months follow, keys moved included.
        try await hub.store.pool.write { db in
            try db.execute(sql: "INSERT INTO metrics_daily (day, agent, team, portfolio, currency, attempts) VALUES ('2026-03-31', 'x', 't', 'P', 'EUR', 5)")
            try db.execute(sql: "UPDATE metrics_daily SET attempts = attempts + 2 WHERE day = '2026-03-31' AND agent = 'x'")
            try db.execute(sql: "UPDATE metrics_daily SET day = '2026-04-01' WHERE day = '2026-03-31' AND agent = 'x'")
            try db.execute(sql: "INSERT INTO metrics_daily (day, agent, team, portfolio, currency, attempts) VALUES ('2026-04-02', 'x', 't', 'P', 'EUR', 1)")
            try db.execute(sql: "DELETE FROM metrics_daily WHERE day = '2026-04-01' AND agent = 'x'")
        }
        try await hub.store.pool.read { db in
            try Self.expectMonthlyMatchesDaily(db, "after direct writes")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metrics_monthly WHERE month = '2026-03' AND agent = 'x'") == 0,
                    "a month left without daily rows has no row")
            #expect(try Int.fetchOne(db, sql: "SELECT days FROM metrics_monthly WHERE month = '2026-04' AND agent = 'x'") == 1)
        }
    }

    /// Every report grouping over every kind of period gives what summing the daily rows gives.
    @Test func periodTotalsEqualTheSumOfTheirDays() async throws {
        let hub = try HubFixture()
        hub.clock = try #require(Timestamp.parse("2026-11-20T17:00:00.000Z"))
        _ = try await ActivityGenerator(seed: 8, agents: 4, days: 80, dossiersPerPortfolio: 30).run(on: hub.store, now: hub.clock)
        _ = try await hub.store.foldAgentMetrics(before: "2026-09-15")
        let periods: [(String?, String?)] = [
            (nil, nil), ("2026-09-01", "2026-11-30"), ("2026-09-02", "2026-11-19"), ("2026-08-31", "2026-10-01"),
            ("2026-10-05", "2026-10-25"), ("2026-10-02", "2026-10-30"), ("2026-10-01", "2026-10-31"), ("2026-11-20", "2026-11-20"),
            (nil, "2026-10-14"), ("2026-10-17", nil), ("2026-09-30", "2026-10-01"), ("2025-01-01", "2025-12-31"),
        ]
        let groupings = [("m.agent", "m.agent != ''"), ("m.team", "m.agent = '' AND m.team != ''"), ("m.portfolio", "1 = 1")]
        try await hub.store.pool.read { db in
            for (from, to) in periods {
                for team in [nil, "nord"] as [String?] {
                    let filter = ReportFilter(from: from, to: to, team: team)
                    for (group, extra) in groupings {
                        let fast = try SQLiteHubStore.totals(db, filter, group: group, extra: extra)
                        let slow = try Self.dailySums(db, filter, group: group, extra: extra)
                        #expect(fast == slow, "\(group) from \(from ?? "-") to \(to ?? "-") team \(team ?? "-")")
                    }
                }
            }
        }
    }

    /// The reference: every daily row of the period, summed.
    static func dailySums(_ db: Database, _ filter: ReportFilter, group: String, extra: String) throws -> [String: MetricTotals] {
        let (whereSQL, arguments) = SQLiteHubStore.rollupWhere(filter)
        var result: [String: MetricTotals] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT \(group) AS grouping, m.currency, \(columns.map { "SUM(m.\($0)) AS \($0)" }.joined(separator: ", "))
            FROM metrics_daily m WHERE \(whereSQL) AND \(extra) GROUP BY grouping, m.currency
            """, arguments: arguments) {
            result[row["grouping"], default: MetricTotals()] += SQLiteHubStore.totals(from: row)
        }
        return result
    }

    @Test func aYearIsTwelveMonthsAndAFewDays() {
        #expect(RollupPeriod(from: "2025-12-03", to: "2026-12-02") == RollupPeriod.expected(
            months: ("2025-12", "2026-11"),
            days: [("2025-12-01", "2025-12-02", -1), ("2026-12-01", "2026-12-02", 1)]))
        #expect(RollupPeriod(from: nil, to: nil) == RollupPeriod.expected(months: (nil, nil), days: []))
        #expect(RollupPeriod(from: "2026-02-01", to: "2026-02-28") == RollupPeriod.expected(months: ("2026-02", "2026-02"), days: []))
        #expect(RollupPeriod(from: "2026-02-10", to: "2026-02-12") == RollupPeriod.expected(months: nil, days: [("2026-02-10", "2026-02-12", 1)]))
        #expect(RollupPeriod(from: "2026-02-02", to: "2026-02-27") == RollupPeriod.expected(
            months: ("2026-02", "2026-02"), days: [("2026-02-01", "2026-02-01", -1), ("2026-02-28", "2026-02-28", -1)]))
        #expect(RollupPeriod(from: "2026-01-30", to: "2026-02-02") == RollupPeriod.expected(
            months: nil, days: [("2026-01-30", "2026-01-31", 1), ("2026-02-01", "2026-02-02", 1)]))
        #expect(RollupPeriod(from: nil, to: "2026-03-20") == RollupPeriod.expected(months: (nil, "2026-03"), days: [("2026-03-21", "2026-03-31", -1)]))
    }
}

extension RollupPeriod {
    static func expected(months: (String?, String?)?, days: [(String, String, Int)]) -> RollupPeriod {
        var period = RollupPeriod(from: nil, to: nil)
        period.months = months.map { Months(first: $0.0, last: $0.1) }
        period.days = days.map { Days(first: $0.0, last: $0.1, sign: $0.2) }
        return period
    }
}
