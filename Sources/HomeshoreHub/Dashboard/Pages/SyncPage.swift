import Foundation
import HomeshoreCore

/// `/sync`: each device's last sync and what it still holds unsent; silent agents stand out.
struct SyncPage {
    let store: any HubStore
    let now: Date
    let silentAfter: TimeInterval

    func render(_ fields: FormFields) async throws -> HTMLPage {
        let filter = try ReportQuery.filter(fields)
        let reports = HubReports(store: store, silentAfter: silentAfter)
        let rows = try await reports.syncRows(filter: filter, now: now)
        let silent = rows.filter(\.silent).count
        let queued = rows.compactMap(\.queued).reduce(0, +)
        let facts = [
            Fact(term: "Devices", detail: "\(rows.count)", factFigure: "sync.devices"),
            Fact(term: "Silent", detail: "\(silent)", factFigure: "sync.silent"),
            Fact(term: "Ops queued on laptops", detail: "\(queued)", factFigure: "sync.queued_total"),
        ]
        let table = ReportTableHTML.table(HubReports.sync(rows, now: now), report: "sync", links: ["agent": ReportTableHTML.agentLink],
                                          highlight: { $0["silent"] == "yes" }, emptyText: "No device has enrolled yet.")
        var page = HTMLPage(
            title: "Sync health",
            subtitle: "As of \(AgencyTime.display(Timestamp.string(from: now))) (\(AgencyTime.zoneName)); silent = no sync for "
                + ReportFormat.age(Int64(reports.silentAfter)) + " or never",
            sections: [PageSection(facts: facts),
                       PageSection(heading: "Devices", table: table,
                                   actions: [PageLink(label: "Download as CSV", href: "/v1/reports/sync"
                                       + HTMLText.query([("team", filter.team), ("format", "csv")]))])])
        page.period = PeriodForm(action: "/sync", filter: filter, dates: false, teams: true)
        return page
    }
}
