import Foundation
import HomeshoreCore

/// `/dossiers?portfolio=P&q=TEXT`: finds dossiers by reference or debtor, per portfolio or across
/// all, and links to each dossier's timeline and to the creditor export.
struct DossierSearchPage {
    let store: any HubStore
    let now: Date

    static let maxShown = 500
    static let columns = ["reference", "debtor_name", "status", "amount_due", "balance", "last_action", "last_action_at", "promises",
                          "promises_kept", "payments", "paid_amount", "dispute"]

    func render(_ fields: FormFields) async throws -> HTMLPage {
        let filter = try ReportQuery.filter(fields)
        let search = fields.text("q").map { String($0.prefix(200)) }
        let portfolios = try await store.portfolioReport(ReportFilter(), now: now).map(\.portfolio).sorted()
        var sections: [PageSection] = [PageSection(
            heading: "Portfolios",
            intro: portfolios.isEmpty ? "No portfolio has been imported yet." : nil,
            actions: portfolios.flatMap { name in
                [PageLink(label: name, href: "/dossiers" + HTMLText.query([("portfolio", name)])),
                 PageLink(label: "\(name) export (CSV)", href: "/v1/reports/dossiers" + HTMLText.query([("portfolio", name), ("format", "csv")]))]
            })]

        let searched = filter.portfolio.map { [$0] } ?? (search == nil ? [] : portfolios)
        var shown = 0, found = 0
        for portfolio in searched {
            let rows = try await store.dossierExport(portfolio: portfolio).filter { Self.matches($0, search) }
            found += rows.count
            let kept = Array(rows.prefix(max(0, Self.maxShown - shown)))
            shown += kept.count
            guard !kept.isEmpty || filter.portfolio != nil else { continue }
            let table = ReportTableHTML.table(HubReports.dossiers(kept), report: "dossiers", columns: Self.columns,
                                              links: ["reference": { row in
                                                  row["reference"].map { ReportTableHTML.dossierLink(portfolio: portfolio, reference: $0) }
                                              }], emptyText: "No dossier matches.")
            sections.append(PageSection(heading: "Portfolio \(portfolio)", table: table))
        }
        let summary = searched.isEmpty ? "Pick a portfolio or search by reference or debtor name."
            : found > shown ? "\(found) dossiers match; the first \(shown) are shown." : "\(found) dossier(s)."
        var page = HTMLPage(title: "Dossiers", subtitle: summary, sections: sections)
        page.period = PeriodForm(action: "/dossiers", filter: filter, dates: false, portfolios: true, search: .some(search))
        return page
    }

    /// Reference or debtor name contains the text, ignoring case and accents.
    static func matches(_ row: DossierExportRow, _ search: String?) -> Bool {
        guard let search else { return true }
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        return row.reference.range(of: search, options: options) != nil || row.debtorName.range(of: search, options: options) != nil
    }
}
