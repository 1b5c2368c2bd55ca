/// The columns a dossier file may have. Int-backed so a header's positions can live in a plain array:
/// this lookup runs 22 times per row.
enum DossierColumn: Int, CaseIterable, Sendable {
    case reference, debtorName, debtorType, amountDue, currency, dueDate, phone, phone2, email, address
    case postcode, city, country, timezone, language, customerSince, priorIncidents, vip, invoiceRefs
    case letterRef, letterDate, notes

    /// The header name, as users write it (matched case-insensitively).
    var name: String {
        switch self {
        case .reference: "reference"
        case .debtorName: "debtor_name"
        case .debtorType: "debtor_type"
        case .amountDue: "amount_due"
        case .currency: "currency"
        case .dueDate: "due_date"
        case .phone: "phone"
        case .phone2: "phone2"
        case .email: "email"
        case .address: "address"
        case .postcode: "postcode"
        case .city: "city"
        case .country: "country"
        case .timezone: "timezone"
        case .language: "language"
        case .customerSince: "customer_since"
        case .priorIncidents: "prior_incidents"
        case .vip: "vip"
        case .invoiceRefs: "invoice_refs"
        case .letterRef: "letter_ref"
        case .letterDate: "letter_date"
        case .notes: "notes"
        }
    }

    init?(name: String) {
        guard let column = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = column
    }

    var isRequired: Bool {
        switch self {
        case .reference, .debtorName, .amountDue, .currency, .dueDate: true
        default: false
        }
    }

    /// Limits keep one runaway cell (a pasted e-mail thread, a broken export) out of the database and the UI.
    var maxLength: Int {
        switch self {
        case .reference: 64
        case .debtorName: 200
        case .address: 300
        case .notes: 4000
        case .invoiceRefs: 500
        default: 100
        }
    }

    /// Only free-text cells may hold line breaks; elsewhere a control character is a broken export.
    var allowsLineBreaks: Bool { self == .address || self == .notes }

    static let required: [DossierColumn] = allCases.filter(\.isRequired)
}
