import Foundation
import GRDB
import HomeshoreCore

/// The work list: one narrow row per dossier held, with what `next`, `list` and the chase list need
/// to order and pick dossiers without decoding every record (issue 10). Each row holds the
/// time-independent inputs of `Priority.score` and of the chase list, as seen by the agent (the
/// hub's record with this laptop's queued edits over it); the time-dependent part (is the callback
/// due, is a promise due today, is it still the first month…) is computed by SQL at read time from
/// `now`, so a row never goes stale when the clock moves. Rows are rewritten, in the same
/// transaction, whenever what they derive from changes: a pulled dossier or event, a queued op
/// (recorded, acknowledged or refused), a removal.
extension Replica {
    /// The "v4-work-list" migration's schema. Shipped: never edit it, add a new migration.
    ///
    /// - `callback_at`: the due callback as `Date.timeIntervalSinceReferenceDate` (what `Date`
    ///   compares, so `<= now` is exactly Swift's), `callback` the same as text (the chase list
    ///   compares the text, as it always did);
    /// - `first_due`: the earliest due day of an active promise or instalment;
    /// - `broken`: a promise or instalment broken (or partly kept) since the last call, outside a
    ///   cancelled plan — the priority term and the chase list's rule;
    /// - `placed_day`, `since_day`, `due_day`: day numbers (`CalendarDate.dayNumber`) of the
    ///   placement (agency day), the customer's start and the claim's due date;
    /// - `segment_fixed`: 750 (VIP) or 500 (repeat defaulter), which do not depend on the day, else
    ///   null and the new-customer weight is read from `since_day`;
    /// - `amount_points`: `Priority.amountPoints` of the balance;
    /// - `callable` (`next`: not paid, closed or disputed) and `chased` (the chase list: also no open
    ///   dispute, nor one queued on this laptop);
    /// - what a listing line shows (phone and callback with the queued edits).
    static let workListSchema = """
        CREATE TABLE work_list (
            dossier_id TEXT PRIMARY KEY,
            portfolio TEXT NOT NULL,
            reference TEXT NOT NULL,
            debtor_name TEXT NOT NULL,
            status TEXT NOT NULL,
            balance INTEGER NOT NULL,
            currency TEXT NOT NULL,
            city TEXT,
            phone TEXT,
            timezone TEXT NOT NULL,
            callback TEXT,
            callback_at REAL,
            first_due TEXT,
            broken INTEGER NOT NULL,
            placed_day INTEGER,
            since_day INTEGER,
            due_day INTEGER,
            segment_fixed INTEGER,
            amount_points INTEGER NOT NULL,
            callable INTEGER NOT NULL,
            chased INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX work_list_order ON work_list(portfolio, reference);
        CREATE INDEX work_list_callback ON work_list(callback) WHERE callback IS NOT NULL;
        CREATE INDEX work_list_first_due ON work_list(first_due) WHERE first_due IS NOT NULL;
        CREATE INDEX work_list_broken ON work_list(broken) WHERE broken = 1;
        """

    /// `Priority.score(...).value` in SQL over a `work_list` row, for the parameters of `scoreArguments`.
    /// `WorkListTests` checks it against `Priority.score` on a randomised replica.
    static let scoreSQL = """
        ((CASE WHEN callback_at <= :now THEN \(Priority.callbackDuePoints) ELSE 0 END)
         + (CASE WHEN first_due <= :today THEN \(Priority.promiseDuePoints) ELSE 0 END)
         + broken * \(Priority.brokenPromisePoints)
         + (CASE WHEN :todayNumber - placed_day < \(Priority.firstMonthDays) THEN \(Priority.firstMonthPoints) ELSE 0 END)
         + (CASE WHEN segment_fixed IS NOT NULL THEN segment_fixed
                 WHEN :todayNumber - since_day <= 365 THEN \(Segment.newCustomer.weight) ELSE 0 END)
         + amount_points
         + (CASE WHEN due_day IS NULL THEN 0
                 ELSE MIN(\(Priority.maxDaysPastDuePoints), MAX(0, :todayNumber - due_day) / 3) END))
        """

    static func scoreArguments(now: Date) -> [String: (any DatabaseValueConvertible)?] {
        let today = AgencyCalendar.day(of: now)
        return ["now": now.timeIntervalSinceReferenceDate, "today": today, "todayNumber": CalendarDate.dayNumber(today) ?? 0]
    }

    /// Rewrites the work-list row of one dossier from its stored record, its events and this laptop's
    /// queued ops on it; removes it when the dossier is not held (a look-up, or gone).
    static func refreshWork(_ db: Database, dossierId: String) throws {
        var policies = ContactPolicies()
        try refreshWork(db, dossierId: dossierId, policies: &policies)
    }

    static func refreshWork(_ db: Database, dossierId: String, policies: inout ContactPolicies) throws {
        guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM dossiers WHERE id = ?"), arguments: [dossierId]) else {
            try db.cachedStatement(sql: "DELETE FROM work_list WHERE dossier_id = ?").execute(arguments: [dossierId])
            return
        }
        try refreshWork(db, stored: try decodeDossier(text), policies: &policies)
    }

    /// Rewrites the work-list row of a dossier just stored (the record as pulled, before the overlay);
    /// `events`, when given, are all its merged events (see `calls`).
    static func refreshWork(_ db: Database, stored: DossierRecord, events: [EventRecord]? = nil, policies: inout ContactPolicies) throws {
        let dossier = try overlaid(db, stored)
        let work = dossier.work ?? DossierWork()
        let cancelledPlans = Set(work.plans.filter { $0.state == .cancelled }.map(\.id))
        // The settled times of promises that may count as broken; the calls are read only if there is one.
        let settled = work.promises.compactMap { promise -> Date? in
            guard promise.state == .broken || promise.state == .partlyKept,
                  !(promise.planId.map { cancelledPlans.contains($0) } ?? false) else { return nil }
            return promise.settledAt.flatMap(Timestamp.parse)
        }
        let calls = try calls(db, dossierId: dossier.id, events: events)
        let lastContact = calls.map(\.time).max()
        let broken = settled.contains { settledAt in lastContact.map { $0 < settledAt } ?? true }
        let hold = ContactRules.hold(policy: try policies.policy(db, portfolio: dossier.portfolio), attempts: calls.map(\.time),
                                     lastRightPartyContact: calls.filter(\.rightParty).map(\.time).max(),
                                     callback: dossier.nextCallback.flatMap(Timestamp.parse))
        let segmentFixed: Int? = dossier.vip ? Segment.vip.weight : dossier.priorIncidents >= 2 ? Segment.repeatDefaulter.weight : nil
        let disputedHere = try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM outbox WHERE dossier_id = ? AND kind = 'dispute' LIMIT 1"), arguments: [dossier.id]) != nil
        let finished = dossier.status == DossierStatus.paid.rawValue || dossier.status == DossierStatus.closed.rawValue
        let callable = !finished && dossier.status != DossierStatus.disputed.rawValue
        let chased = !finished && work.openDispute == nil && !disputedHere
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO work_list (dossier_id, portfolio, reference, debtor_name, status, balance, currency, city, phone,
                timezone, callback, callback_at, first_due, broken, placed_day, since_day, due_day, segment_fixed, amount_points,
                callable, chased, free_from)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                dossier.id, dossier.portfolio, dossier.reference, dossier.debtorName, dossier.status, dossier.balance, dossier.currency,
                dossier.city, dossier.phone, dossier.timezone, dossier.nextCallback,
                dossier.nextCallback.flatMap(Timestamp.parse)?.timeIntervalSinceReferenceDate,
                work.activePromises.map(\.due).min(), broken,
                placementDay(dossier.placedAt),
                dossier.customerSince.flatMap { CalendarDate.dayNumber(String($0.prefix(10))) },
                CalendarDate.dayNumber(String(dossier.dueDate.prefix(10))),
                segmentFixed, Priority.amountPoints(dossier.balance, currency: dossier.currency),
                callable, chased, freeFrom(hold),
            ])
    }

    /// The agency day number of the placement, read as `Priority.Input.from` reads it: an instant's
    /// agency day, else the text's first ten characters.
    static func placementDay(_ text: String) -> Int? {
        if let instant = Timestamp.parse(text) { return CalendarDate.dayNumber(AgencyCalendar.day(of: instant)) }
        return CalendarDate.dayNumber(String(text.prefix(10)))
    }

    /// Fills the work list of a replica made before it existed (the v4 migration) or before it held
    /// the contact holds (v5). A replica older than v4 comes through v4 with a table that has no
    /// `free_from` yet: it is left empty there, and v5, which always follows, fills it.
    static func rebuildWorkList(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM work_list")
        guard try db.columns(in: "work_list").contains(where: { $0.name == "free_from" }) else { return }
        var policies = ContactPolicies()
        let cursor = try String.fetchCursor(db, sql: "SELECT record FROM dossiers")
        while let text = try cursor.next() { try refreshWork(db, stored: try decodeDossier(text), policies: &policies) }
    }
}

extension Replica {
    /// Queued ops that change a dossier's work-list row while they wait: contact and callback edits
    /// (shown over the hub's record), calls (the last contact, which decides whether a broken promise
    /// still counts) and disputes (no longer chased).
    static let opKindsShapingWork: Set<String> = [OpKind.contact.rawValue, OpKind.callback.rawValue, OpKind.call.rawValue, OpKind.dispute.rawValue]
}
