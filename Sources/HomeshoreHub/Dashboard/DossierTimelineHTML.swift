import Foundation
import HomeshoreCore

/// A dossier's whole merged history as the creditor's printable timeline: every call, note,
/// promise, plan, dispute, payment and settlement, oldest first, with its agent and agency time.
enum DossierTimelineHTML {
    static func table(_ change: DossierChange) -> HTMLTable {
        let currency = change.dossier.currency
        let events = change.events.sorted { lhs, rhs in
            let left = time(lhs), right = time(rhs)
            return left != right ? left < right : lhs.seq < rhs.seq
        }
        return HTMLTable(reportName: "timeline",
                         columns: ["When", "What", "Agent", "Details"].map { HTMLColumn(label: $0, numeric: false) },
                         rows: events.map { event in
                             HTMLRow(cells: [HTMLCell(when(event), instant: true), HTMLCell(kind(event.kind)), HTMLCell(event.agent ?? "hub"),
                                             HTMLCell(details(event, currency: currency))],
                                     highlight: event.flag != nil)
                         }, emptyText: "Nothing has happened on this dossier yet.")
    }

    /// When it happened: the agent's clock for their own work, the hub's for the rest.
    static func time(_ event: EventRecord) -> String {
        // A payment is dated by its day only: it sorts at that day's start, before what it settled.
        if event.kind == "payment", let day = event.payload.due, let start = AgencyCalendar.startOfDay(day) {
            return Timestamp.string(from: start)
        }
        return Timestamp.canonical(event.clientTime ?? event.hubTime) ?? event.hubTime
    }

    static func when(_ event: EventRecord) -> String {
        // A payment is known by its day only.
        if event.kind == "payment", let day = event.payload.due { return day }
        return AgencyTime.display(time(event))
    }

    static func kind(_ kind: String) -> String {
        switch kind {
        case "call": "Call"
        case "note": "Note"
        case "contact": "Contact details"
        case "callback": "Callback scheduled"
        case "promise": "Promise to pay"
        case "plan": "Instalment plan"
        case "dispute": "Dispute opened"
        case "dispute-resolved": "Dispute resolved"
        case "payment": "Payment"
        case "assignment": "Assignment"
        case "promise-kept": "Promise kept"
        case "promise-partly-kept": "Promise partly kept"
        case "promise-broken": "Promise broken"
        case "promise-cancelled": "Promise cancelled"
        default: kind.prefix(1).uppercased() + kind.dropFirst().replacingOccurrences(of: "-", with: " ")
        }
    }

    static func details(_ event: EventRecord, currency: String) -> String {
        let p = event.payload
        let money = { (amount: Int64) in Money.describe(amount, currency: currency) }
        var parts: [String] = []
        switch event.kind {
        case "call":
            parts.append(p.outcome.map { "outcome \($0)" } ?? "")
            if let seconds = p.durationSeconds { parts.append(ReportFormat.duration(Double(seconds))) }
            if let amount = p.amount, let due = p.due { parts.append("promised \(money(amount)) by \(due)") }
            if let reason = p.reason { parts.append("dispute: \(reason)") }
            parts.append(p.text ?? "")
        case "promise":
            parts.append([p.amount.map(money), p.due.map { "due \($0)" }].compactMap { $0 }.joined(separator: " "))
        case "plan":
            parts.append("\(p.instalments.map(String.init) ?? "?") instalments of \(p.amount.map(money) ?? "?")"
                         + (p.every.map { " every \($0)" } ?? "") + (p.due.map { " from \($0)" } ?? ""))
        case "payment":
            parts.append(p.amount.map(money) ?? "")
            if let id = p.text { parts.append("payment \(id)") }
        case "callback":
            parts.append(p.at.map { "call back at \(AgencyTime.display($0))" } ?? "")
            parts.append(p.text ?? "")
        case "contact":
            parts += [p.phone.map { "phone \($0)" }, p.email.map { "email \($0)" }, p.address.map { "address \($0)" }].compactMap { $0 }
        case "dispute":
            parts.append(p.reason.map { "reason \($0)" } ?? "")
            parts.append(p.text ?? "")
        default:
            parts.append(p.text ?? "")
            if p.text == nil, let amount = p.amount { parts.append(money(amount)) }
        }
        if let flag = event.flag { parts.append("(\(flag))") }
        return parts.filter { !$0.isEmpty }.joined(separator: " · ")
    }
}
