/// Kinds of client command the hub knows how to apply.
public enum OpKind: String, CaseIterable, Codable, Sendable {
    case call, note, contact, callback, promise, plan, dispute
}

/// One client command, recorded offline and sent until the hub acknowledges it.
/// `kind` stays text on the wire so that an unknown kind is answered `rejected`, not a 400 for the batch.
public struct SyncOp: Codable, Sendable, Equatable {
    public var id: String
    public var deviceSeq: Int64
    public var kind: String
    public var dossierId: String
    public var recordedAt: String
    public var hlc: String
    public var payload: OpPayload

    public init(id: String, deviceSeq: Int64, kind: String, dossierId: String, recordedAt: String, hlc: String, payload: OpPayload) {
        self.id = id
        self.deviceSeq = deviceSeq
        self.kind = kind
        self.dossierId = dossierId
        self.recordedAt = recordedAt
        self.hlc = hlc
        self.payload = payload
    }
}

/// The fields of every op kind, flat: each kind uses its own subset and the hub checks the rest is empty.
public struct OpPayload: Codable, Sendable, Equatable {
    public var outcome: String?
    public var durationSeconds: Int?
    /// Time after the call spent writing it up, as the agent entered it (never measured behind their back).
    public var wrapUpSeconds: Int?
    public var text: String?
    /// When the call happened, or when the callback is due (UTC ISO 8601).
    public var at: String?
    public var phone: String?
    public var email: String?
    public var address: String?
    /// Minor units: a promise, each instalment of a plan, a payment.
    public var amount: Int64?
    /// A promise's due date, or a plan's first instalment (YYYY-MM-DD).
    public var due: String?
    public var instalments: Int?
    /// A plan's step: 1m, 2w or 1w.
    public var every: String?
    /// A dispute's reason code.
    public var reason: String?

    public init(outcome: String? = nil, durationSeconds: Int? = nil, text: String? = nil, at: String? = nil,
                phone: String? = nil, email: String? = nil, address: String? = nil, amount: Int64? = nil,
                due: String? = nil, instalments: Int? = nil, every: String? = nil, reason: String? = nil, wrapUpSeconds: Int? = nil) {
        self.wrapUpSeconds = wrapUpSeconds
        self.outcome = outcome
        self.durationSeconds = durationSeconds
        self.text = text
        self.at = at
        self.phone = phone
        self.email = email
        self.address = address
        self.amount = amount
        self.due = due
        self.instalments = instalments
        self.every = every
        self.reason = reason
    }
}

extension SyncOp {
    /// Op ids are compared as text, and UUIDs have two spellings: every op id is put in lower case
    /// once, where ops enter the hub, so that `A1…` and `a1…` are the same op (answered `duplicate`).
    public var normalised: SyncOp {
        var op = self
        op.id = id.lowercased()
        return op
    }
}
