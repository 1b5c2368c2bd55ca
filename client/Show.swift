import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreClient
import HomeshoreCore

extension ClientCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a dossier and its whole history, newest first.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "REF or PORTFOLIO/REF.") var reference: String
        @Option(help: "text or json.") var format: String = "text"

        func validate() throws {
            guard ["text", "table", "json"].contains(format) else { throw ValidationError("--format must be text or json.") }
        }

        func run() throws {
            let replica = try home.reader().replica
            let view = try replica.view(reference: reference)
            let script = try replica.script(for: view.dossier)
            if format == "json" {
                struct Output: Encodable { var dossier: DossierRecord; var situation: String; var script: String?; var history: [HistoryItem] }
                print(try WireJSON.pretty(Output(dossier: view.dossier, situation: view.dossier.situation.rawValue,
                                                 script: script, history: view.history)))
                return
            }
            print(DossierText.render(view, script: script), terminator: "")
        }
    }
}

enum DossierText {
    static func render(_ view: DossierView, script: String?) -> String {
        let d = view.dossier
        let zone = TimeZone(identifier: d.timezone) ?? .current
        var lines: [String] = []
        lines.append("\(d.portfolio)/\(d.reference) — \(d.debtorName) (\(d.debtorType))   status: \(d.status)")
        lines.append("Claim:     \(Money.format(d.balance, currency: d.currency)) \(d.currency) outstanding of \(Money.format(d.amountDue, currency: d.currency)) \(d.currency), due \(d.dueDate)"
                     + (d.invoiceRefs.map { ", invoices \($0)" } ?? ""))
        if let letter = d.letterRef { lines.append("Letter:    \(letter)" + (d.letterDate.map { " sent \($0)" } ?? "")) }
        lines.append("Phone:     \([d.phone, d.phone2].compactMap { $0 }.joined(separator: ", "))")
        if let email = d.email { lines.append("Email:     \(email)") }
        let place = [d.address, [d.postcode, d.city].compactMap { $0 }.joined(separator: " "), d.country].compactMap { $0 }.filter { !$0.isEmpty }
        if !place.isEmpty { lines.append("Address:   \(place.joined(separator: ", "))") }
        lines.append("Debtor:    timezone \(d.timezone), language \(d.language)" + (d.segment.map { ", segment \($0)" } ?? "")
                     + (d.customerSince.map { ", customer since \($0)" } ?? "") + (d.priorIncidents > 0 ? ", \(d.priorIncidents) prior incidents" : ""))
        if let callback = d.nextCallback { lines.append("Callback:  \(CommandInput.display(callback, in: zone)) (debtor's time)") }
        if let notes = d.notes { lines.append("Notes:     \(notes)") }
        lines.append("")
        lines.append("Situation: \(d.situation.rawValue)")
        if let script {
            lines.append(contentsOf: script.split(separator: "\n", omittingEmptySubsequences: false).map { "  │ " + $0 })
        }
        let work = d.work ?? DossierWork()
        func money(_ amount: Int64) -> String { Money.describe(amount, currency: d.currency) }
        if let plan = work.activePlan ?? work.plans.last {
            lines.append("")
            lines.append("Plan:      \(plan.instalments) × \(money(plan.amount)) every \(plan.every) from \(plan.first) — \(plan.state.rawValue)")
            for p in work.promises where p.planId == plan.id {
                lines.append("  #\(p.instalment ?? 0)  due \(p.due)  \(money(p.amount))  paid \(money(p.paid))  \(p.state.rawValue)")
            }
        }
        let promises = work.promises.filter { $0.planId == nil }
        if !promises.isEmpty {
            lines.append("")
            lines.append("Promises:")
            for p in promises.reversed() {
                lines.append("  \(money(p.amount)) due \(p.due) (grace until \(p.graceEnd))  paid \(money(p.paid))  \(p.state.rawValue)" + (p.agent.map { "  by \($0)" } ?? ""))
            }
        }
        if let dispute = work.openDispute {
            lines.append("")
            lines.append("Dispute:   \(dispute.reason.rawValue), open since \(dispute.openedAt)" + (dispute.note.map { " — \($0)" } ?? ""))
        }
        if !work.payments.isEmpty {
            lines.append("Payments:  " + work.payments.map { "\(money($0.amount)) on \($0.paidOn)" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append("History (\(view.history.count), newest first):")
        for item in view.history {
            // A payment has a value date, not a time of day.
            let when = item.kind == "payment" ? (item.payload.due ?? item.time).padding(toLength: 16, withPad: " ", startingAt: 0)
                : CommandInput.display(item.time, in: .current)
            var text = "  \(when)  \(item.kind)"
            if let agent = item.agent { text += "  by \(agent)" }
            let p = item.payload
            if let outcome = p.outcome { text += "  \(outcome)" }
            if let amount = p.amount { text += "  \(Money.format(amount, currency: d.currency)) \(d.currency)" }
            if let due = p.due, item.kind != "payment" { text += "  due \(due)" }
            if let count = p.instalments { text += "  × \(count) every \(p.every ?? "1m")" }
            if let reason = p.reason { text += "  reason \(reason)" }
            if let seconds = p.durationSeconds { text += "  \(seconds / 60)m\(twoDigits(seconds % 60))s" }
            if item.kind == "callback", let at = p.at { text += "  at \(CommandInput.display(at, in: zone))" }
            for change in [p.phone.map { "phone \($0)" }, p.email.map { "email \($0)" }, p.address.map { "address \($0)" }].compactMap({ $0 }) {
                text += "  \(change)"
            }
            if let note = p.text { text += "  — \(note)" }
            if item.pending { text += "  [not yet sent]" }
            if let flag = item.flag { text += "  [\(flag)]" }
            lines.append(text)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `String(format: "%02d", n)` without Foundation's formatter (issue 10).
    static func twoDigits(_ n: Int) -> String { (0..<10).contains(n) ? "0\(n)" : "\(n)" }
}
