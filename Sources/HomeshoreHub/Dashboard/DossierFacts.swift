import Foundation
import HomeshoreCore

/// Where a dossier stands, as the facts heading both its dashboard page and the creditor's
/// printable timeline, so the two never tell a different story.
enum DossierFacts {
    /// `assignee`: also who holds it now (for supervisors; the creditor sees each event's agent instead).
    static func facts(_ change: DossierChange, assignee: Bool) -> [Fact] {
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
        ]
        if assignee { facts.append(Fact(term: "Assigned to", detail: d.assignedTo ?? "pool")) }
        if let letter = d.letterRef { facts.append(Fact(term: "Formal letter", detail: letter + (d.letterDate.map { " of \($0)" } ?? ""))) }
        if let invoices = d.invoiceRefs { facts.append(Fact(term: "Invoices", detail: invoices)) }
        if let open = work?.openDispute { facts.append(Fact(term: "Open dispute", detail: open.reason.rawValue)) }
        let promises = work?.promises ?? []
        if !promises.isEmpty {
            facts.append(Fact(term: "Promises kept / made", detail: "\(promises.filter { $0.state == .kept }.count) / \(promises.count)",
                              factFigure: "dossier.promises"))
        }
        return facts
    }
}
