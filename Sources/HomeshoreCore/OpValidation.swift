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
            if let wrapUp = p.wrapUpSeconds, !(0...Limits.maxWrapUpSeconds).contains(wrapUp) {
                throw HomeshoreError("invalid_wrap_up", "Wrap-up time is between 0 and \(Limits.maxWrapUpSeconds / 60) minutes, not \(wrapUp) seconds.")
            }
            try checkText(p.text, field: "note", max: Limits.maxNoteLength, required: false)
            if let at = p.at { try checkInstant(at, field: "at") }
            if outcome == OutcomeCode.promise.rawValue {
                guard p.amount != nil, p.due != nil else {
                    throw HomeshoreError("promise_incomplete", "A call with outcome promise needs the promised amount and due date (--amount, --due).")
                }
                try checkPromise(p, recordedAt: op.recordedAt)
            } else if p.amount != nil || p.due != nil {
                throw HomeshoreError("unexpected_promise", "Only a call with outcome promise takes an amount and a due date.")
            }
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
        case .promise:
            try checkPromise(p, recordedAt: op.recordedAt)
        case .plan:
            try checkPlan(p, recordedAt: op.recordedAt)
        case .dispute:
            guard let reason = p.reason, DisputeReason(rawValue: reason) != nil else {
                throw HomeshoreError("unknown_reason", "The dispute reason \"\((p.reason ?? "").prefix(40))\" is unknown (expected one of \(DisputeReason.allCodes)).")
            }
            try checkText(p.text, field: "note", max: Limits.maxNoteLength, required: false)
        }
    }

    /// The latest plausible "today" of the writer: a day's slack covers time zones around UTC.
    static func earliestDue(recordedAt: String) -> String {
        guard let date = Timestamp.parse(recordedAt) else { return "0000-00-00" }
        return CalendarDate.adding(days: -1, to: AgencyCalendar.day(of: date, in: .gmt)) ?? "0000-00-00"
    }

    static func checkAmount(_ amount: Int64?, what: String) throws {
        guard let amount else { throw HomeshoreError("missing_amount", "\(what) needs an amount.") }
        guard amount > 0 else { throw HomeshoreError("invalid_amount", "\(what) must be for more than zero.") }
        guard amount <= Money.maxMinorUnits else { throw HomeshoreError("invalid_amount", "\(what) of \(Money.format(amount)) is beyond any claim.") }
    }

    static func checkPromise(_ p: OpPayload, recordedAt: String) throws {
        try checkAmount(p.amount, what: "A promise")
        guard let due = p.due, CalendarDate.isValid(due) else {
            throw HomeshoreError("invalid_date", "The due date \"\((p.due ?? "").prefix(20))\" is not a date like 2026-12-31.")
        }
        guard due >= earliestDue(recordedAt: recordedAt) else {
            throw HomeshoreError("date_in_past", "The due date \(due) is in the past.")
        }
        guard let limit = CalendarDate.adding(days: 366 * 2, to: earliestDue(recordedAt: recordedAt)), due <= limit else {
            throw HomeshoreError("date_too_far", "The due date \(due) is more than two years away.")
        }
    }

    public static let maxInstalments = 60

    static func checkPlan(_ p: OpPayload, recordedAt: String) throws {
        guard let count = p.instalments, (1...maxInstalments).contains(count) else {
            throw HomeshoreError("invalid_instalments", "A plan has 1 to \(maxInstalments) instalments, not \(p.instalments.map(String.init) ?? "none").")
        }
        try checkAmount(p.amount, what: "An instalment")
        guard let every = p.every, InstalmentSchedule.Step(rawValue: every) != nil else {
            throw HomeshoreError("invalid_step", "The plan step \"\((p.every ?? "").prefix(10))\" is not 1m, 2w or 1w.")
        }
        guard let first = p.due, CalendarDate.isValid(first) else {
            throw HomeshoreError("invalid_date", "The first instalment date \"\((p.due ?? "").prefix(20))\" is not a date like 2026-12-31.")
        }
        guard first >= earliestDue(recordedAt: recordedAt) else {
            throw HomeshoreError("date_in_past", "The first instalment date \(first) is in the past.")
        }
        let (total, overflow) = (p.amount ?? 0).multipliedReportingOverflow(by: Int64(count))
        guard !overflow, total <= Money.maxMinorUnits else { throw HomeshoreError("invalid_amount", "The plan's total is beyond any claim.") }
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
