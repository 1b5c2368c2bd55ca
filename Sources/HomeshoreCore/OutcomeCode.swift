/// Outcome of a call (DESIGN §3). The flags feed the metrics: every call is an attempt.
public enum OutcomeCode: String, CaseIterable, Codable, Sendable {
    case noAnswer = "no-answer"
    case busy
    case voicemail
    case wrongNumber = "wrong-number"
    case thirdParty = "third-party"
    case rightParty = "right-party"
    case promise
    case paidClaimed = "paid-claimed"
    case dispute
    case refused
    case callback

    /// Someone answered: the debtor or a third party.
    public var isContact: Bool {
        switch self {
        case .noAnswer, .busy, .voicemail, .wrongNumber: false
        default: true
        }
    }

    /// The debtor was reached.
    public var isRightParty: Bool { isContact && self != .thirdParty }

    public var isPromise: Bool { self == .promise }

    public static var allCodes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
