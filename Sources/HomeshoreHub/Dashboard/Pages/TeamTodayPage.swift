import Foundation
import HomeshoreCore

/// `/`: one row per agent for the agency's day (or a chosen period), with the team's totals.
struct TeamTodayPage {
    let store: any HubStore
    let now: Date

    static let columns = ["agent", "name", "team", "calls", "right_party", "rpc_rate", "promises", "ptp_rate", "promised",
                          "kept_rate", "collected", "aht", "last_sync"]

    func render(_ fields: FormFields) async throws -> HTMLPage {
        let today = AgencyCalendar.day(of: now)
        let filter = try ReportQuery.filter(fields, defaults: ReportFilter(from: today, to: today))
        let rows = try await store.agentReport(filter)
        var total = MetricTotals()
        for row in rows { total += row.totals }
        let totals = HubReports.agents([AgentReportRow(agent: "Team", name: "", team: filter.team ?? "", totals: total, lastSyncAt: nil)])

        var table = ReportTableHTML.table(HubReports.agents(rows), report: "agents", columns: Self.columns,
                                          links: ["agent": ReportTableHTML.agentLink],
                                          emptyText: "No agent activity in this period.")
        table.footer = ReportTableHTML.table(totals, report: "team", columns: Self.columns).rows
        let headline = ReportTableHTML.facts(totals, report: "team", skipping: ["agent", "name", "team", "last_sync"])
            .filter { ["Calls", "Right-party contacts", "Promises", "PTP rate", "Collected"].contains($0.term) }

        let isToday = filter.from == today && filter.to == today
        var page = HTMLPage(title: isToday ? "Team today" : "Team",
                            subtitle: Self.periodText(filter) + (filter.team.map { ", team \($0)" } ?? ""),
                            sections: [PageSection(facts: headline),
                                       PageSection(heading: "Agents", table: table,
                                                   actions: [PageLink(label: "Download as CSV", href: "/v1/reports/agents"
                                                       + HTMLText.query([("from", filter.from), ("to", filter.to), ("team", filter.team),
                                                                         ("format", "csv")]))])])
        page.period = PeriodForm(action: "/", filter: filter, teams: true)
        return page
    }

    /// `2027-01-10` or `2027-01-01 to 2027-01-31`, in agency days.
    static func periodText(_ filter: ReportFilter) -> String {
        let zone = " (agency days, \(AgencyTime.zoneName))"
        switch (filter.from, filter.to) {
        case let (from?, to?) where from == to: return from + zone
        case let (from?, to?): return "\(from) to \(to)" + zone
        case let (from?, nil): return "Since \(from)" + zone
        case let (nil, to?): return "Up to \(to)" + zone
        case (nil, nil): return "All time"
        }
    }
}
