import Foundation
import HomeshoreCore

/// `/compliance`: calls merged although they broke a contact rule (window, weekly cap, rest),
/// newest first, a page at a time (`?page=N`); the figures and the CSV cover the whole period.
struct CompliancePage {
    let store: any HubStore
    let now: Date
    var pageSize = Paging.defaultSize

    func render(_ fields: FormFields) async throws -> HTMLPage {
        let filter = try ReportQuery.filter(fields, defaults: ReportQuery.lastDays(30, now: now))
        let rows = try await HubReports(store: store).complianceRows(filter)
        let paging = try Paging(fields, size: pageSize, total: rows.count)
        let shown = Array(Self.newestFirst(rows)[paging.range])
        let table = ReportTableHTML.table(HubReports.compliance(shown), report: "compliance",
                                          links: ["agent": ReportTableHTML.agentLink,
                                                  "reference": { row in
                                                      row["reference"].map { ReportTableHTML.dossierLink(portfolio: row["portfolio"] ?? "", reference: $0) }
                                                  }],
                                          emptyText: paging.isPastEnd ? "Nothing on this page." : "No call broke a contact rule in this period.")
        let csv = "/v1/reports/compliance" + PromisesPage.query(filter)
        let pager = paging.links { Self.href(filter, page: $0) }
        var page = HTMLPage(title: "Compliance", subtitle: TeamTodayPage.periodText(filter),
                            sections: [PageSection(facts: [Fact(term: "Calls outside the rules", detail: "\(rows.count)", factFigure: "compliance.calls"),
                                                           Fact(term: "Agents concerned", detail: "\(Set(rows.compactMap(\.agent)).count)",
                                                                factFigure: "compliance.agents")]),
                                       PageSection(heading: "Calls outside the rules", intro: Self.note(paging), table: table,
                                                   pager: pager,
                                                   actions: [PageLink(label: rows.count > shown.count ? "Download all \(rows.count) as CSV"
                                                                          : "Download as CSV", href: csv)])])
        page.period = PeriodForm(action: "/compliance", filter: filter, portfolios: true)
        return page
    }

    /// The store lists calls oldest first; the page starts from the latest, ties in reverse order too.
    static func newestFirst(_ rows: [ComplianceEntry]) -> [ComplianceEntry] {
        rows.enumerated().sorted { $0.element.time != $1.element.time ? $0.element.time > $1.element.time : $0.offset > $1.offset }
            .map(\.element)
    }

    /// What part of the list this page holds, said plainly, with where to find the rest.
    static func note(_ paging: Paging) -> String? {
        if paging.isPastEnd {
            return "Page \(paging.page) is past the end: the \(paging.total) calls of this period fill \(paging.pages) page(s)."
        }
        guard paging.isPaged else { return paging.total > 1 ? "Newest first." : nil }
        return "Showing \(paging.range.count) of \(paging.total) calls (\(paging.range.lowerBound + 1)–\(paging.range.upperBound), "
            + "page \(paging.page) of \(paging.pages)), newest first. Download the CSV for all of them."
    }

    /// This page's address for page `page`, with the same period and scope.
    static func href(_ filter: ReportFilter, page: Int) -> String {
        "/compliance" + HTMLText.query([("from", filter.from), ("to", filter.to), ("team", filter.team), ("portfolio", filter.portfolio),
                                        ("page", page > 1 ? String(page) : nil)])
    }
}
