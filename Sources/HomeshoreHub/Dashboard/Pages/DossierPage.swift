import Foundation
import HomeshoreCore

/// `/dossiers/{portfolio}/{reference}`: a dossier with its whole merged timeline, printable as the
/// creditor's record of everything done on it.
struct DossierPage {
    let store: any HubStore

    func render(portfolio: String, reference: String) async throws -> HTMLPage {
        let change = try await store.dossier(DossierKey(portfolio: portfolio, reference: reference))
        let d = change.dossier
        let money = { (amount: Int64) in Money.describe(amount, currency: d.currency) }
        let work = d.work
        let paid = work?.payments.reduce(Int64(0)) { $0 + $1.amount } ?? 0
        var facts = [
            Fact(term: "Status", detail: d.status),
            Fact(term: "Amount due", detail: money(d.amountDue), factFigure: "dossier.amount_due"),
            Fact(term: "Balance", detail: money(d.balance), factFigure: "dossier.balance"),
            Fact(term: "Paid", detail: money(paid), factFigure: "dossier.paid"),
            Fact(term: "Due date", detail: d.dueDate),
            Fact(term: "Placed", detail: AgencyTime.display(d.placedAt)),
            Fact(term: "Assigned to", detail: d.assignedTo ?? "pool"),
        ]
        if let letter = d.letterRef { facts.append(Fact(term: "Formal letter", detail: letter + (d.letterDate.map { " of \($0)" } ?? ""))) }
        if let invoices = d.invoiceRefs { facts.append(Fact(term: "Invoices", detail: invoices)) }
        if let open = work?.openDispute { facts.append(Fact(term: "Open dispute", detail: open.reason.rawValue)) }
        let promises = work?.promises ?? []
        if !promises.isEmpty {
            facts.append(Fact(term: "Promises kept / made", detail: "\(promises.filter { $0.state == .kept }.count) / \(promises.count)",
                              factFigure: "dossier.promises"))
        }
        let timeline = DossierTimelineHTML.table(change)
        return HTMLPage(
            title: "\(d.portfolio) / \(d.reference) — \(d.debtorName)",
            subtitle: "\(d.debtorType), \(d.currency); times in agency time (\(AgencyTime.zoneName)). Print this page for the creditor.",
            sections: [
                PageSection(facts: facts),
                PageSection(heading: "Timeline", intro: "Every event on this dossier, oldest first (\(timeline.rows.count)).", table: timeline,
                            actions: [PageLink(label: "All dossiers of \(d.portfolio)", href: "/dossiers" + HTMLText.query([("portfolio", d.portfolio)]))]),
            ])
    }
}
