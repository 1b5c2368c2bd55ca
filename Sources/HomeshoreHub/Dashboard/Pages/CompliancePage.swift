import Foundation
import HomeshoreCore

/// `/compliance`: calls merged although they broke a contact rule (window, weekly cap, rest).
struct CompliancePage {
    let store: any HubStore
    let now: Date

    func render(_ fields: FormFields) async throws -> HTMLPage {
        let filter = try ReportQuery.filter(fields, defaults: ReportQuery.lastDays(30, now: now))
        let rows = try await HubReports(store: store).complianceRows(filter)
        let table = ReportTableHTML.table(HubReports.compliance(rows), report: "compliance",
                                          links: ["agent": ReportTableHTML.agentLink,
                                                  "reference": { row in
                                                      row["reference"].map { ReportTableHTML.dossierLink(portfolio: row["portfolio"] ?? "", reference: $0) }
                                                  }],
                                          emptyText: "No call broke a contact rule in this period.")
        var page = HTMLPage(title: "Compliance", subtitle: TeamTodayPage.periodText(filter),
                            sections: [PageSection(facts: [Fact(term: "Calls outside the rules", detail: "\(rows.count)", factFigure: "compliance.calls"),
                                                           Fact(term: "Agents concerned", detail: "\(Set(rows.compactMap(\.agent)).count)",
                                                                factFigure: "compliance.agents")]),
                                       PageSection(heading: "Calls outside the rules", table: table,
                                                   actions: [PageLink(label: "Download as CSV", href: "/v1/reports/compliance"
                                                       + PromisesPage.query(filter))])])
        page.period = PeriodForm(action: "/compliance", filter: filter, portfolios: true)
        return page
    }
}
