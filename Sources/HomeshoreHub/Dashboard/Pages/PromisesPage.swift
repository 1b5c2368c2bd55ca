import Foundation
import HomeshoreCore

/// `/promises`: how each agent's promises fared, and the broken ones to follow up.
struct PromisesPage {
    let store: any HubStore
    let now: Date

    static let brokenLimit = 200

    func render(_ fields: FormFields) async throws -> HTMLPage {
        let filter = try ReportQuery.filter(fields, defaults: ReportQuery.lastDays(30, now: now))
        let rows = try await store.promiseReport(filter)
        let report = HubReports.promises(rows)
        let team = HubReports.promises([Self.total(rows)])
        let broken = try await store.brokenPromises(filter, limit: Self.brokenLimit)
        let followUp = HTMLTable(
            reportName: "broken-promises",
            columns: [("Due", false), ("Agent", false), ("Portfolio", false), ("Reference", false), ("Debtor", false),
                      ("Promised", true), ("Paid", true), ("State", false)].map { HTMLColumn(label: $0.0, numeric: $0.1) },
            rows: broken.map(Self.followUpRow), emptyText: "No broken promise in this period.")
        var page = HTMLPage(
            title: "Promises", subtitle: TeamTodayPage.periodText(filter),
            sections: [
                PageSection(facts: ReportTableHTML.facts(team, report: "promises-total", skipping: ["agent", "name", "team"])),
                PageSection(heading: "By agent", intro: "Promises falling due in the period, and what became of them.",
                            table: ReportTableHTML.table(report, report: "promises", links: ["agent": ReportTableHTML.agentLink]),
                            actions: [PageLink(label: "Download as CSV", href: "/v1/reports/promises" + Self.query(filter))]),
                PageSection(heading: "To follow up",
                            intro: broken.count == Self.brokenLimit ? "Broken and partly kept promises: the \(Self.brokenLimit) latest."
                                : "Broken and partly kept promises.",
                            table: followUp),
            ])
        page.period = PeriodForm(action: "/promises", filter: filter, teams: true, portfolios: true)
        return page
    }

    /// The team's row: every agent's promises added up, rated like any row.
    static func total(_ rows: [PromiseReportRow]) -> PromiseReportRow {
        var total = PromiseReportRow(agent: "Team", name: "", team: "", due: 0, kept: 0, partlyKept: 0, broken: 0, dueAmount: [:], paidAmount: [:])
        for row in rows {
            total.due += row.due
            total.kept += row.kept
            total.partlyKept += row.partlyKept
            total.broken += row.broken
            total.dueAmount.merge(row.dueAmount, uniquingKeysWith: +)
            total.paidAmount.merge(row.paidAmount, uniquingKeysWith: +)
        }
        return total
    }

    static func followUpRow(_ entry: BrokenPromiseEntry) -> HTMLRow {
        HTMLRow(cells: [
            HTMLCell(entry.due),
            HTMLCell(entry.agent ?? "", link: entry.agent.map { "/agents/" + HTMLText.pathSegment($0) }),
            HTMLCell(entry.portfolio),
            HTMLCell(entry.reference, link: ReportTableHTML.dossierLink(portfolio: entry.portfolio, reference: entry.reference)),
            HTMLCell(entry.debtorName),
            HTMLCell(Money.describe(entry.amount, currency: entry.currency), figure: "broken.amount", numeric: true),
            HTMLCell(Money.describe(entry.paid, currency: entry.currency), figure: "broken.paid", numeric: true),
            HTMLCell(entry.state),
        ], highlight: entry.state == PromiseState.broken.rawValue)
    }

    static func query(_ filter: ReportFilter, format: String = "csv") -> String {
        HTMLText.query([("from", filter.from), ("to", filter.to), ("team", filter.team), ("portfolio", filter.portfolio), ("format", format)])
    }
}
