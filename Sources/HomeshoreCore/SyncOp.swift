/// Kinds of client command the hub knows how to apply.
public enum OpKind: String, CaseIterable, Codable, Sendable {
    case call, note, contact, callback
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
    public var text: String?
    /// When the call happened, or when the callback is due (UTC ISO 8601).
    public var at: String?
    public var phone: String?
    public var email: String?
    public var address: String?

    public init(outcome: String? = nil, durationSeconds: Int? = nil, text: String? = nil, at: String? = nil,
                phone: String? = nil, email: String? = nil, address: String? = nil) {
        self.outcome = outcome
        self.durationSeconds = durationSeconds
        self.text = text
        self.at = at
        self.phone = phone
        self.email = email
        self.address = address
    }
}
