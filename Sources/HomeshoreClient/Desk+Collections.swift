import Foundation
import HomeshoreCore

/// Promises, plans and disputes, recorded offline. The laptop checks what it can (amounts against
/// the balance it knows, dates against today); the hub checks again and settles them.
extension Desk {
    @discardableResult
    public func promise(_ reference: String, amount text: String, due: String, now: Date = Date()) throws -> SyncOp {
        try requireEnrolled()
        let dossier = try replica.view(reference: reference).dossier
        let amount = try Self.amount(text, of: dossier)
        try Self.checkPromise(amount: amount, due: due, dossier: dossier, now: now)
        return try replica.record(kind: .promise, dossierId: dossier.id, payload: OpPayload(amount: amount, due: due), now: now)
    }

    @discardableResult
    public func callWithPromise(_ reference: String, amount text: String, due: String, durationSeconds: Int?, wrapUpSeconds: Int? = nil,
                                note: String?, at: Date?, now: Date = Date()) throws -> SyncOp {
        try record(checkCall(reference, outcome: OutcomeCode.promise.rawValue, durationSeconds: durationSeconds,
                             wrapUpSeconds: wrapUpSeconds, note: note, at: at, promise: (text, due), now: now))
    }

    @discardableResult
    public func plan(_ reference: String, instalments: Int, amount text: String, first: String, every: String, now: Date = Date()) throws -> SyncOp {
        try requireEnrolled()
        let dossier = try replica.view(reference: reference).dossier
        let amount = try Self.amount(text, of: dossier)
        guard (1...OpValidation.maxInstalments).contains(instalments) else {
            throw HomeshoreError("invalid_instalments", "A plan has 1 to \(OpValidation.maxInstalments) instalments, not \(instalments).")
        }
        guard InstalmentSchedule.Step(rawValue: every) != nil else {
            throw HomeshoreError("invalid_step", "--every must be 1m, 2w or 1w, not \"\(every)\".")
        }
        try Self.checkOpen(dossier)
        if try (dossier.work ?? DossierWork()).activePlan != nil || replica.hasQueued(.plan, dossierId: dossier.id) {
            throw HomeshoreError("plan_exists", "The dossier \(reference) already has a running plan.")
        }
        try Self.checkDate(first, now: now, what: "The first instalment date")
        let total = amount * Int64(instalments)
        guard total <= dossier.balance else {
            throw HomeshoreError("above_balance", "\(instalments) instalments of \(text) make \(Money.format(total, currency: dossier.currency)) \(dossier.currency), more than the balance of \(Money.format(dossier.balance, currency: dossier.currency)) \(dossier.currency).")
        }
        let payload = OpPayload(amount: amount, due: first, instalments: instalments, every: every)
        return try replica.record(kind: .plan, dossierId: dossier.id, payload: payload, now: now)
    }

    @discardableResult
    public func dispute(_ reference: String, reason: String, note: String?, now: Date = Date()) throws -> SyncOp {
        try requireEnrolled()
        guard DisputeReason(rawValue: reason) != nil else {
            throw HomeshoreError("unknown_reason", "\"\(reason)\" is not a dispute reason; use one of \(DisputeReason.allCodes).")
        }
        let dossier = try replica.view(reference: reference).dossier
        if try (dossier.work ?? DossierWork()).openDispute != nil || replica.hasQueued(.dispute, dossierId: dossier.id) {
            throw HomeshoreError("already_disputed", "The dossier \(reference) already has an open dispute.")
        }
        return try replica.record(kind: .dispute, dossierId: dossier.id, payload: OpPayload(text: note, reason: reason), now: now)
    }

    static func amount(_ text: String, of dossier: DossierRecord) throws -> Int64 {
        guard let amount = Money.parse(text, currency: dossier.currency) else {
            throw HomeshoreError("invalid_amount", "\"\(text)\" is not an amount in \(dossier.currency); write it like 150.00.")
        }
        guard amount > 0 else { throw HomeshoreError("invalid_amount", "The amount must be more than zero.") }
        return amount
    }

    static func checkOpen(_ dossier: DossierRecord) throws {
        guard dossier.status != DossierStatus.paid.rawValue && dossier.status != DossierStatus.closed.rawValue else {
            throw HomeshoreError("dossier_closed", "The dossier \(dossier.reference) is \(dossier.status); it takes no promise.")
        }
    }

    static func checkDate(_ date: String, now: Date, what: String) throws {
        guard CalendarDate.isValid(date) else { throw HomeshoreError("invalid_date", "\"\(date)\" is not a date; write it like 2026-12-31.") }
        guard date >= AgencyCalendar.day(of: now) else { throw HomeshoreError("date_in_past", "\(what) \(date) is in the past.") }
    }

    static func checkPromise(amount: Int64, due: String, dossier: DossierRecord, now: Date) throws {
        try checkOpen(dossier)
        try checkDate(due, now: now, what: "The due date")
        guard amount <= dossier.balance else {
            throw HomeshoreError("above_balance", "The promise of \(Money.format(amount, currency: dossier.currency)) \(dossier.currency) is more than the balance of \(Money.format(dossier.balance, currency: dossier.currency)) \(dossier.currency).")
        }
    }
}
