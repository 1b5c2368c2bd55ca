import Foundation
import HomeshoreCore

/// A call is checked whole before anything is said or written: what was typed (outcome, durations,
/// time, note, the promise that goes with it) first, then the contact rules. A call outside the rules
/// is still recorded (it happened) and the agent is warned; a call typed wrong is refused with one
/// sentence and no warning, whatever the hour.
public struct CheckedCall: Sendable {
    /// The contact rules the call breaks, to warn about before recording it.
    public let violations: [ContactRules.Violation]
    let dossierId: String
    let payload: OpPayload
    let now: Date
}

extension Desk {
    /// Validates everything about a call without recording it. `promise` is the amount and due date
    /// of a call with outcome `promise`.
    public func checkCall(_ reference: String, outcome: String, durationSeconds: Int?, wrapUpSeconds: Int? = nil, note: String?,
                          at: Date?, promise: (amount: String, due: String)? = nil, now: Date = Date()) throws -> CheckedCall {
        try requireEnrolled()
        guard OutcomeCode(rawValue: outcome) != nil else {
            throw HomeshoreError("unknown_outcome", "\"\(outcome)\" is not an outcome; use one of \(OutcomeCode.allCodes).")
        }
        var payload = OpPayload(outcome: outcome, durationSeconds: durationSeconds, text: note, at: Timestamp.string(from: at ?? now),
                                wrapUpSeconds: wrapUpSeconds)
        let dossierId: String
        if let promise {
            let dossier = try replica.view(reference: reference).dossier
            let amount = try Self.amount(promise.amount, of: dossier)
            try Self.checkPromise(amount: amount, due: promise.due, dossier: dossier, now: now)
            payload.amount = amount
            payload.due = promise.due
            dossierId = dossier.id
        } else {
            dossierId = try replica.dossierId(reference: reference)
        }
        try replica.validateDraft(kind: .call, dossierId: dossierId, payload: payload, now: now)
        return CheckedCall(violations: try replica.violations(dossierId: dossierId, now: now), dossierId: dossierId, payload: payload, now: now)
    }

    /// Records a checked call.
    @discardableResult
    public func record(_ call: CheckedCall) throws -> SyncOp {
        try replica.record(kind: .call, dossierId: call.dossierId, payload: call.payload, now: call.now)
    }
}
