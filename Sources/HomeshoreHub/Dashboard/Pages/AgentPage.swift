import Foundation
import HomeshoreCore

/// `/agents/{login}`: one agent's figures over the period and their course day by day.
struct AgentPage {
    let store: any HubStore
    let now: Date

    /// Days charted at most: beyond, only days with activity are drawn.
    static let maxFilledDays = 400

    func render(login: String, _ fields: FormFields) async throws -> HTMLPage {
        guard let agent = try await store.agent(login: login) else {
            throw HomeshoreError("not_found", "There is no agent \(login).")
        }
        var filter = try ReportQuery.filter(fields, defaults: ReportQuery.lastDays(30, now: now))
        filter.team = nil
        let row = try await store.agentReport(filter).filter { $0.agent == login }
        let table = HubReports.agents(row)
        let daily = Self.filled(try await store.dailyMetrics(agent: login, filter), filter: filter)

        let points = { (value: (MetricTotals) -> Double?) in
            daily.map { SVGChart.Point(label: $0.day, value: value($0.totals), short: String($0.day.dropFirst(5))) }
        }
        let charts = [
            ChartFigure(svg: SVGChart.bars(id: "calls-per-day", title: "Calls per day", points: points { Double($0.attempts) })),
            ChartFigure(svg: SVGChart.line(id: "ptp-rate", title: "PTP rate (promises / right-party contacts)", points: points(\.promiseRate))),
            ChartFigure(svg: SVGChart.line(id: "kept-rate", title: "Kept rate (promises kept / falling due)", points: points(\.keptRate))),
        ]
        let facts = ReportTableHTML.facts(table, report: "agents", skipping: ["agent", "name", "team"])
        let days = HTMLTable(reportName: "daily", columns: Self.dailyColumns.map { HTMLColumn(label: $0.label, numeric: $0.numeric) },
                             rows: daily.filter { $0.totals != MetricTotals() }.reversed().map(Self.dailyRow),
                             emptyText: "No activity in this period.")

        var page = HTMLPage(title: "\(agent.name) (\(agent.login))",
                            subtitle: "\(agent.role.rawValue), team \(agent.team ?? "-"), \(agent.status.rawValue) · "
                                + TeamTodayPage.periodText(filter),
                            sections: [
                                PageSection(intro: facts.isEmpty ? "No activity in this period." : nil, facts: facts),
                                PageSection(heading: "Over time", charts: charts),
                                PageSection(heading: "Day by day", table: days),
                            ])
        page.period = PeriodForm(action: "/agents/" + HTMLText.pathSegment(login), filter: filter)
        return page
    }

    static let dailyColumns: [(label: String, numeric: Bool)] = [
        ("Day", false), ("Calls", true), ("Right-party contacts", true), ("RPC rate", true), ("Promises", true), ("PTP rate", true),
        ("Promises due", true), ("Kept rate", true), ("Collected", true), ("AHT", true),
    ]

    static func dailyRow(_ day: DailyMetrics) -> HTMLRow {
        let t = day.totals
        let figures = [("calls", "\(t.attempts)"), ("right_party", "\(t.rightParty)"), ("rpc_rate", ReportFormat.percent(t.rightPartyRate)),
                       ("promises", "\(t.promisesMade)"), ("ptp_rate", ReportFormat.percent(t.promiseRate)),
                       ("promises_due", "\(t.promisesDue)"), ("kept_rate", ReportFormat.percent(t.keptRate)),
                       ("collected", ReportFormat.amounts(t.collected)), ("aht", ReportFormat.duration(t.averageHandlingSeconds))]
        return HTMLRow(cells: [HTMLCell(day.day)] + figures.map { HTMLCell($1, figure: "daily.\($0)", numeric: true) })
    }

    /// Every day of the period, quiet days as zero, so the charts' x axis is time itself.
    static func filled(_ days: [DailyMetrics], filter: ReportFilter) -> [DailyMetrics] {
        let sorted = days.sorted { $0.day < $1.day }
        guard let from = filter.from.flatMap(CalendarDate.dayNumber) ?? sorted.first.flatMap({ CalendarDate.dayNumber($0.day) }),
              let to = filter.to.flatMap(CalendarDate.dayNumber) ?? sorted.last.flatMap({ CalendarDate.dayNumber($0.day) }),
              to >= from, to - from < maxFilledDays else { return sorted }
        let known = Dictionary(sorted.map { ($0.day, $0) }, uniquingKeysWith: { first, _ in first })
        return (from...to).map { number in
            let day = CalendarDate.fromDayNumber(number)
            return known[day] ?? DailyMetrics(day: day, totals: MetricTotals())
        }
    }
}
