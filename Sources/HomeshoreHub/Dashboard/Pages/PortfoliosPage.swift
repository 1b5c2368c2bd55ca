import Foundation
import HomeshoreCore

/// `/portfolios`: per creditor portfolio, the open balance by age, liquidation and disputes.
struct PortfoliosPage {
    let store: any HubStore
    let now: Date

    func render(_ fields: FormFields) async throws -> HTMLPage {
        let filter = try ReportQuery.filter(fields, defaults: ReportQuery.lastDays(30, now: now))
        let rows = try await store.portfolioReport(filter, now: now)
        let disputes = HubReports.disputes(try await store.disputeReport(filter))
        var sections = rows.map { Self.section($0, filter: filter) }
        if rows.isEmpty { sections.append(PageSection(intro: "No portfolio has been imported yet.")) }
        sections.append(PageSection(heading: "Disputes by reason",
                                    table: ReportTableHTML.table(disputes, report: "disputes", emptyText: "No dispute in this period."),
                                    actions: [PageLink(label: "Download as CSV", href: "/v1/reports/disputes" + PromisesPage.query(filter))]))
        var page = HTMLPage(title: "Portfolios", subtitle: TeamTodayPage.periodText(filter)
                                + "; balances and their age are as of today, liquidation to the end of the period",
                            sections: sections)
        page.period = PeriodForm(action: "/portfolios", filter: filter, portfolios: true)
        return page
    }

    static let bucketColumns = AgeBuckets.labels.map { "balance_\($0)_days" }

    static func section(_ row: PortfolioReportRow, filter: ReportFilter) -> PageSection {
        let table = HubReports.portfolios([row])
        let cells = Dictionary(zip(table.columns, table.rows.first ?? []), uniquingKeysWith: { first, _ in first })
        var ages = HTMLTable(
            reportName: "age-buckets",
            columns: [("Age since placement", false), ("Open dossiers", true), ("Open balance", true)].map { HTMLColumn(label: $0.0, numeric: $0.1) },
            rows: AgeBuckets.labels.enumerated().map { index, label in
                HTMLRow(cells: [HTMLCell("\(label) days"),
                                HTMLCell("\(row.ageBuckets.dossiers[index])", figure: "portfolios.dossiers_\(label)_days", numeric: true),
                                ReportTableHTML.cell(cells[bucketColumns[index]] ?? "", column: bucketColumns[index], report: "portfolios")])
            })
        ages.caption = "Open balance by age"
        var reasons = HTMLTable(
            reportName: "disputes-by-reason", columns: [HTMLColumn(label: "Reason", numeric: false), HTMLColumn(label: "Disputes", numeric: true)],
            rows: row.disputesByReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
                HTMLRow(cells: [HTMLCell($0.key), HTMLCell("\($0.value)", figure: "portfolios.disputes_\($0.key)", numeric: true)])
            }, emptyText: "No dispute in this period.")
        reasons.caption = "Disputes opened in the period, by reason"
        let dossiers = "/dossiers" + HTMLText.query([("portfolio", row.portfolio)])
        return PageSection(
            heading: "Portfolio \(row.portfolio)",
            facts: ReportTableHTML.facts(table, report: "portfolios", skipping: Set(["portfolio"] + bucketColumns)),
            charts: ageCharts(row),
            tables: [ages, reasons],
            actions: [PageLink(label: "Dossiers of \(row.portfolio)", href: dossiers),
                      PageLink(label: "Creditor export (CSV)", href: "/v1/reports/dossiers" + HTMLText.query([("portfolio", row.portfolio), ("format", "csv")]))]
        )
    }

    /// One bar chart of the open balance by age per currency the portfolio holds.
    static func ageCharts(_ row: PortfolioReportRow) -> [ChartFigure] {
        let currencies = Set(row.ageBuckets.balances.flatMap { $0.filter { $0.value != 0 }.keys }).sorted()
        let charted = currencies.isEmpty ? [nil] : currencies.map { Optional($0) }
        return charted.map { currency in
            let scale = pow(10, Double(Money.exponent(of: currency ?? "EUR")))
            let points = AgeBuckets.labels.enumerated().map { index, label in
                SVGChart.Point(label: "\(label) days", value: Double(currency.map { row.ageBuckets.balances[index][$0] ?? 0 } ?? 0) / scale,
                               short: label)
            }
            return ChartFigure(svg: SVGChart.bars(
                id: "age-\(row.portfolio)-\(currency ?? "none")", title: "Open balance by age" + (currency.map { " (\($0))" } ?? ""),
                points: points, integers: false,
                format: { value in currency.map { String(format: "%.2f", value) + " " + $0 } ?? SVGChart.count(value) },
                axisFormat: SVGChart.compact))
        }
    }
}
