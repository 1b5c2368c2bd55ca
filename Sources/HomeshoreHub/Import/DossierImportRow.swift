/// One validated dossier from a portfolio file, ready to be stored.
/// Optional cells left empty in the file are nil; defaulted ones carry their default.
public struct DossierImportRow: Sendable, Equatable {
    /// Physical line where the record starts (the header is line 1), so users can find it in their editor.
    public var line: Int
    public var reference: String
    public var debtorName: String
    /// "person" or "company".
    public var debtorType: String
    /// Minor units of `currency`.
    public var amountDue: Int64
    public var currency: String
    /// YYYY-MM-DD.
    public var dueDate: String
    public var phone: String?
    public var phone2: String?
    public var email: String?
    public var address: String?
    public var postcode: String?
    public var city: String?
    public var country: String?
    /// IANA identifier.
    public var timezone: String
    public var language: String
    /// YYYY-MM-DD.
    public var customerSince: String?
    public var priorIncidents: Int
    public var vip: Bool
    public var invoiceRefs: String?
    public var letterRef: String?
    /// YYYY-MM-DD.
    public var letterDate: String?
    public var notes: String?

    public init(
        line: Int,
        reference: String,
        debtorName: String,
        debtorType: String = "person",
        amountDue: Int64,
        currency: String,
        dueDate: String,
        phone: String? = nil,
        phone2: String? = nil,
        email: String? = nil,
        address: String? = nil,
        postcode: String? = nil,
        city: String? = nil,
        country: String? = nil,
        timezone: String = "Europe/Paris",
        language: String = "fr",
        customerSince: String? = nil,
        priorIncidents: Int = 0,
        vip: Bool = false,
        invoiceRefs: String? = nil,
        letterRef: String? = nil,
        letterDate: String? = nil,
        notes: String? = nil
    ) {
        self.line = line
        self.reference = reference
        self.debtorName = debtorName
        self.debtorType = debtorType
        self.amountDue = amountDue
        self.currency = currency
        self.dueDate = dueDate
        self.phone = phone
        self.phone2 = phone2
        self.email = email
        self.address = address
        self.postcode = postcode
        self.city = city
        self.country = country
        self.timezone = timezone
        self.language = language
        self.customerSince = customerSince
        self.priorIncidents = priorIncidents
        self.vip = vip
        self.invoiceRefs = invoiceRefs
        self.letterRef = letterRef
        self.letterDate = letterDate
        self.notes = notes
    }
}
