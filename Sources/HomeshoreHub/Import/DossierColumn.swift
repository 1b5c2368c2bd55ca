/// The columns a dossier file may have.
enum DossierColumn: Int, CSVColumn {
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

    var isRequired: Bool {
        switch self {
        case .reference, .debtorName, .amountDue, .currency, .dueDate: true
        default: false
        }
    }

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

    var allowsLineBreaks: Bool { self == .address || self == .notes }
}
