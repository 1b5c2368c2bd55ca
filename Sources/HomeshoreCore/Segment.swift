import Foundation

/// The debtor segment (DESIGN §6), derived from the import's `vip`, `customer_since` and
/// `prior_incidents` columns. It sets the tone of the call (scripts) and is one term of the priority.
public enum Segment: String, Codable, Sendable, CaseIterable {
    case vip
    case newCustomer = "new-customer"
    case repeatDefaulter = "repeat-defaulter"
    case standard

    /// The rules, first match wins:
    ///
    /// | rule                                                   | segment            |
    /// |--------------------------------------------------------|--------------------|
    /// | `vip` flag set                                         | `vip`              |
    /// | `priorIncidents ≥ 2`                                   | `repeat-defaulter` |
    /// | `customerSince` within the last 365 days of `today`    | `new-customer`     |
    /// | otherwise                                              | `standard`         |
    ///
    /// VIP wins because the client asked for the relationship to be handled with care whatever the
    /// history; a repeat defaulter is a known risk even if recently signed. "Within the last 365
    /// days" means `today − 365 ≤ customerSince`; a `customerSince` after `today` (an import or
    /// clock slip) also counts as new. A missing or unreadable date is not new. Dates are agency
    /// days `YYYY-MM-DD` (a full timestamp's first ten characters are used). `amountDue` does not
    /// change the segment today — the amount is scored on its own by `Priority` — it is taken so
    /// callers need not change when a portfolio's rules come to use it.
    public static func of(vip: Bool, customerSince: String?, priorIncidents: Int, amountDue: Int64, today: String) -> Segment {
        if vip { return .vip }
        if priorIncidents >= 2 { return .repeatDefaulter }
        if let since = customerSince.flatMap({ CalendarDate.dayNumber(String($0.prefix(10))) }),
           let now = CalendarDate.dayNumber(String(today.prefix(10))), now - since <= 365 {
            return .newCustomer
        }
        return .standard
    }

    /// The segment's term in `Priority` (between 0 and 750; it always outweighs amount plus days past
    /// due, at most 160 together, and never outweighs the first month, 1000):
    ///
    /// | segment            | weight | why                                                          |
    /// |--------------------|--------|--------------------------------------------------------------|
    /// | `vip`              | 750    | the client's key accounts: called first, by a calm agent     |
    /// | `repeat-defaulter` | 500    | a known risk: the longer it waits the less is recovered      |
    /// | `new-customer`     | 250    | a first slip is usually an oversight, quickly solved by a call|
    /// | `standard`         | 0      |                                                              |
    public var weight: Int {
        switch self {
        case .vip: 750
        case .repeatDefaulter: 500
        case .newCustomer: 250
        case .standard: 0
        }
    }

    /// A few words for a priority reason or a listing.
    public var label: String {
        switch self {
        case .vip: "VIP customer"
        case .repeatDefaulter: "repeat defaulter"
        case .newCustomer: "new customer"
        case .standard: "standard customer"
        }
    }
}
