import Foundation
import HomeshoreCore

/// Report tables on the dashboard are built from the very cells of `HubReports`, so a page and the
/// CLI or API report of the same period show the same figures, to the character.
enum ReportTableHTML {
    /// Columns that hold names, states or times rather than figures.
    static let wordColumns: Set<String> = [
        "agent", "name", "team", "portfolio", "reason", "device", "status", "last_sync", "oldest_queued", "silent", "reference",
        "debtor_name", "currency", "placed_at", "last_action", "last_action_at", "dispute", "time", "outcome", "breach",
    ]
    /// Columns holding instants, shown in agency time.
    static let timeColumns: Set<String> = ["last_sync", "oldest_queued", "placed_at", "last_action_at", "time"]

    static let labels: [String: String] = [
        "calls": "Calls", "contacts": "Contacts", "right_party": "Right-party contacts", "rpc_rate": "RPC rate", "promises": "Promises",
        "ptp_rate": "PTP rate", "promised": "Promised", "promises_due": "Promises due", "kept": "Kept", "kept_rate": "Kept rate",
        "collected": "Collected", "aht": "AHT", "disputes": "Disputes", "last_sync": "Last sync", "open_balance": "Open balance",
        "placed": "Placed", "liquidation": "Liquidation", "solved_30d": "Solved within 30 days", "partly_kept": "Partly kept", "due": "Falling due",
        "amount_due": "Amount due", "amount_paid": "Amount paid", "oldest_queued": "Oldest queued", "oldest_age": "Queued for",
        "debtor_name": "Debtor", "placed_at": "Placed", "last_action_at": "Last action at", "promises_kept": "Promises kept",
        "promises_broken": "Promises broken", "promised_amount": "Promised amount", "paid_amount": "Paid",
        "balance_0-30_days": "Balance 0–30 days", "balance_31-60_days": "Balance 31–60 days",
        "balance_61-90_days": "Balance 61–90 days", "balance_90+_days": "Balance 90+ days",
    ]

    static func label(_ column: String) -> String {
        if let label = labels[column] { return label }
        let words = column.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    static func isFigure(_ column: String) -> Bool { !wordColumns.contains(column) }

    /// One table cell of report `report`: figures are marked and never blank, instants in agency time.
    static func cell(_ text: String, column: String, report: String, link: String? = nil) -> HTMLCell {
        if isFigure(column) {
            return HTMLCell(text.isEmpty ? "-" : text, figure: "\(report).\(column)", link: link, numeric: true)
        }
        let instant = timeColumns.contains(column)
        return HTMLCell(instant ? AgencyTime.display(text) : text, link: link, instant: instant)
    }

    /// The report's table, or the chosen `columns` of it, with links and highlighted rows as given.
    static func table(_ output: ListOutput, report: String, columns chosen: [String]? = nil,
                      links: [String: ([String: String]) -> String?] = [:],
                      highlight: ([String: String]) -> Bool = { _ in false },
                      emptyText: String = "Nothing in this period.") -> HTMLTable {
        let columns = (chosen ?? output.columns).filter(output.columns.contains)
        let rows = output.rows.map { cells in
            let byName = Dictionary(zip(output.columns, cells), uniquingKeysWith: { first, _ in first })
            return HTMLRow(cells: columns.map { column in
                cell(byName[column] ?? "", column: column, report: report, link: links[column].flatMap { $0(byName) })
            }, highlight: highlight(byName))
        }
        return HTMLTable(reportName: report, columns: columns.map { HTMLColumn(label: label($0), numeric: isFigure($0)) },
                         rows: rows, emptyText: emptyText)
    }

    /// Each column of one report row as a labelled fact.
    static func facts(_ output: ListOutput, row index: Int = 0, report: String, skipping: Set<String> = []) -> [Fact] {
        guard output.rows.indices.contains(index) else { return [] }
        return zip(output.columns, output.rows[index]).compactMap { column, text in
            guard !skipping.contains(column) else { return nil }
            let cell = cell(text, column: column, report: report)
            return Fact(term: label(column), detail: cell.text.isEmpty ? "-" : cell.text, factFigure: cell.figure)
        }
    }

    static func agentLink(_ row: [String: String]) -> String? {
        guard let agent = row["agent"], !agent.isEmpty, !agent.hasPrefix("(") else { return nil }
        return "/agents/" + HTMLText.pathSegment(agent)
    }

    static func dossierLink(portfolio: String, reference: String) -> String {
        "/dossiers/" + HTMLText.pathSegment(portfolio) + "/" + HTMLText.pathSegment(reference)
    }
}
