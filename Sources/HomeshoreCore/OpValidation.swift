import Foundation

/// Checks an op's shape and bounds. Both sides run it: the client before queueing (the agent hears
/// about a typo at once), the hub before applying (it trusts no client).
public enum OpValidation {
    public static func validate(_ op: SyncOp) throws {
        guard UUID(uuidString: op.id) != nil else { throw HomeshoreError("invalid_op_id", "The op id \"\(op.id.prefix(40))\" is not a UUID.") }
        guard let kind = OpKind(rawValue: op.kind) else {
            throw HomeshoreError("unknown_op_kind", "The op kind \"\(op.kind.prefix(40))\" is unknown (expected one of \(OpKind.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        guard op.deviceSeq > 0 else { throw HomeshoreError("invalid_op", "The op's device_seq must be positive.") }
        guard Timestamp.parse(op.recordedAt) != nil else { throw HomeshoreError("invalid_time", "recorded_at \"\(op.recordedAt.prefix(40))\" is not an ISO 8601 time.") }
        guard HLCStamp(op.hlc) != nil else { throw HomeshoreError("invalid_op", "The op's clock stamp \"\(op.hlc.prefix(80))\" is malformed.") }
        let p = op.payload
        switch kind {
        case .call:
            guard let outcome = p.outcome else { throw HomeshoreError("missing_outcome", "A call needs an outcome.") }
            guard OutcomeCode(rawValue: outcome) != nil else {
                throw HomeshoreError("unknown_outcome", "The outcome \"\(outcome.prefix(40))\" is unknown (expected one of \(OutcomeCode.allCodes)).")
            }
            if let duration = p.durationSeconds, !(0...Limits.maxCallSeconds).contains(duration) {
                throw HomeshoreError("invalid_duration", "A call lasts between 0 and \(Limits.maxCallSeconds / 3600) hours, not \(duration) seconds.")
            }
            try checkText(p.text, field: "note", max: Limits.maxNoteLength, required: false)
            if let at = p.at { try checkInstant(at, field: "at") }
        case .note:
            try checkText(p.text, field: "note", max: Limits.maxNoteLength, required: true)
        case .contact:
            guard p.phone != nil || p.email != nil || p.address != nil else {
                throw HomeshoreError("empty_contact", "A contact change needs a phone, an email or an address.")
            }
            if let phone = p.phone { try checkPhone(phone) }
            if let email = p.email { try checkEmail(email) }
            try checkText(p.address, field: "address", max: Limits.maxFieldLength, required: false)
        case .callback:
            guard let at = p.at else { throw HomeshoreError("missing_time", "A callback needs a time.") }
            try checkInstant(at, field: "at")
        }
    }

    static func checkText(_ text: String?, field: String, max: Int, required: Bool) throws {
        guard let text else {
            if required { throw HomeshoreError("missing_\(field)", "The \(field) is empty.") }
            return
        }
        if required && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw HomeshoreError("missing_\(field)", "The \(field) is empty.")
        }
        guard text.count <= max else { throw HomeshoreError("too_long", "The \(field) is \(text.count) characters long; the limit is \(max).") }
    }

    static func checkInstant(_ text: String, field: String) throws {
        guard let date = Timestamp.parse(text) else { throw HomeshoreError("invalid_time", "The \(field) time \"\(text.prefix(40))\" is not an ISO 8601 time.") }
        let year = Calendar(identifier: .gregorian).component(.year, from: date)
        guard (2000...2100).contains(year) else { throw HomeshoreError("invalid_time", "The \(field) time \"\(text.prefix(40))\" is out of range.") }
    }

    public static func checkPhone(_ phone: String) throws {
        let allowed = Set("0123456789 +-.()")
        let digits = phone.filter(\.isNumber).count
        guard phone.count <= 30, phone.allSatisfy({ allowed.contains($0) }), (6...20).contains(digits) else {
            throw HomeshoreError("invalid_phone", "\"\(phone.prefix(40))\" is not a phone number.")
        }
    }

    public static func checkEmail(_ email: String) throws {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace)
        else { throw HomeshoreError("invalid_email", "\"\(email.prefix(60))\" is not an email address.") }
    }
}
