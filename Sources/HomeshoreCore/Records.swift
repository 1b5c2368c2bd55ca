/// A dossier as the hub hands it to a client: hub-owned claim data plus the agent-editable fields
/// (`phone`, `email`, `address`, `nextCallback`) and the clock stamp of each one's last write.
public struct DossierRecord: Codable, Sendable, Equatable {
    public var id: String
    public var portfolio: String
    public var reference: String
    public var debtorName: String
    public var debtorType: String
    public var amountDue: Int64
    public var balance: Int64
    public var currency: String
    public var dueDate: String
    public var phone: String?
    public var phone2: String?
    public var email: String?
    public var address: String?
    public var postcode: String?
    public var city: String?
    public var country: String?
    public var timezone: String
    public var language: String
    public var customerSince: String?
    public var priorIncidents: Int
    public var vip: Bool
    public var invoiceRefs: String?
    public var letterRef: String?
    public var letterDate: String?
    public var notes: String?
    public var status: String
    public var nextCallback: String?
    public var assignedTo: String?
    public var placedAt: String
    /// Field name → HLC text of its last agent write.
    public var fieldClocks: [String: String]
    /// Promises, plans, disputes and payments as the hub settled them.
    public var work: DossierWork?
    public var closedAt: String?
    /// vip, new-customer, repeat-defaulter or standard: computed at import, weighs the priority.
    public var segment: String?

    public init(id: String, portfolio: String, reference: String, debtorName: String, debtorType: String,
                amountDue: Int64, balance: Int64, currency: String, dueDate: String, phone: String? = nil,
                phone2: String? = nil, email: String? = nil, address: String? = nil, postcode: String? = nil,
                city: String? = nil, country: String? = nil, timezone: String, language: String,
                customerSince: String? = nil, priorIncidents: Int = 0, vip: Bool = false, invoiceRefs: String? = nil,
                letterRef: String? = nil, letterDate: String? = nil, notes: String? = nil, status: String,
                nextCallback: String? = nil, assignedTo: String? = nil, placedAt: String, fieldClocks: [String: String] = [:], work: DossierWork? = nil, closedAt: String? = nil, segment: String? = nil) {
        self.id = id
        self.portfolio = portfolio
        self.reference = reference
        self.debtorName = debtorName
        self.debtorType = debtorType
        self.amountDue = amountDue
        self.balance = balance
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
        self.status = status
        self.nextCallback = nextCallback
        self.assignedTo = assignedTo
        self.placedAt = placedAt
        self.fieldClocks = fieldClocks
        self.work = work
        self.closedAt = closedAt
        self.segment = segment
    }
}

/// One append-only event of a dossier's history, as merged by the hub.
public struct EventRecord: Codable, Sendable, Equatable {
    public var id: String
    public var dossierId: String
    public var seq: Int64
    public var kind: String
    public var agent: String?
    public var device: String?
    public var clientTime: String?
    public var hubTime: String
    public var payload: OpPayload
    /// Set when the op arrived from an agent who no longer held the dossier (for supervisors).
    public var flag: String?

    public init(id: String, dossierId: String, seq: Int64, kind: String, agent: String?, device: String?,
                clientTime: String?, hubTime: String, payload: OpPayload, flag: String? = nil) {
        self.id = id
        self.dossierId = dossierId
        self.seq = seq
        self.kind = kind
        self.agent = agent
        self.device = device
        self.clientTime = clientTime
        self.hubTime = hubTime
        self.payload = payload
        self.flag = flag
    }
}
