import Foundation
import HomeshoreCore

/// `/dossiers/{portfolio}/{reference}`: a dossier with its whole merged timeline, printable as the
/// creditor's record of everything done on it (`homeshore-hub report timeline` writes the same
/// timeline as a standalone file, `DossierTimelineDocument`).
struct DossierPage {
    let store: any HubStore

    func render(portfolio: String, reference: String) async throws -> HTMLPage {
        let change = try await store.dossier(DossierKey(portfolio: portfolio, reference: reference))
        let d = change.dossier
        let timeline = DossierTimelineHTML.table(change)
        return HTMLPage(
            title: "\(d.portfolio) / \(d.reference) — \(d.debtorName)",
            subtitle: "\(d.debtorType), \(d.currency); times in agency time (\(AgencyTime.zoneName)). Print this page for the creditor.",
            sections: [
                PageSection(facts: DossierFacts.facts(change, assignee: true)),
                PageSection(heading: "Timeline", intro: "Every event on this dossier, oldest first (\(timeline.rows.count)).", table: timeline,
                            actions: [PageLink(label: "All dossiers of \(d.portfolio)", href: "/dossiers" + HTMLText.query([("portfolio", d.portfolio)]))]),
            ])
    }
}
