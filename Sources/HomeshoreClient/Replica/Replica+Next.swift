import Foundation
import GRDB
import HomeshoreCore

/// A dossier with its priority and whatever contact rule forbids calling it now.
public struct RankedDossier: Sendable {
    public var dossier: DossierRecord
    public var score: Priority.Score
    public var violations: [ContactRules.Violation]

    /// Paid, closed and disputed dossiers are not called.
    public var isCallable: Bool {
        !["paid", "closed", "disputed"].contains(dossier.status)
    }
}

/// What `homeshore next` shows: the dossier to work, or, when every callable one is held back, how
/// many there are and the most urgent few with the rules holding them.
public struct WorkPick: Sendable {
    public var pick: RankedDossier?
    /// Callable dossiers held, counted only when there is no pick.
    public var held: Int
    /// The most urgent callable dossiers, with their violations, only when there is no pick.
    public var firstHeld: [RankedDossier]
}

extension Replica {
    /// Every dossier held, most urgent first (DESIGN §6 priority), each with the contact rules it
    /// would break if called now. Works offline: attempts count every agent's calls the replica knows.
    /// The order comes from the work list (Replica+WorkList); each dossier is then scored exactly.
    public func ranked(now: Date = Date()) throws -> [RankedDossier] {
        try read { db in
            var ranking = Ranking(now: now)
            return try Self.workOrder(db, now: now).map { try ranking.rank(db, dossierId: $0) }.compactMap { $0 }
        }
    }

    /// What to work now: the most urgent callable dossier that no contact rule holds back.
    public func next(now: Date = Date()) throws -> RankedDossier? {
        try pick(now: now).pick
    }

    /// The pick of `next`: the work list in priority order, left to the dossiers the contact rules
    /// let through now, so held-back dossiers are never decoded. The query leaves out those whose
    /// calling window is closed now (a portfolio's window in a time zone, checked here once per
    /// pair) and those the 7-day cap or the rest still holds (`free_from`, Replica+ContactHolds);
    /// the first one left is decoded and checked in full, which stays the judge.
    public func pick(now: Date = Date(), showing shown: Int = 5) throws -> WorkPick {
        try read { db in
            var ranking = Ranking(now: now)
            var open: [(String, String)] = []
            for row in try Row.fetchAll(db, sql: Self.callableGroupsSQL) {
                let portfolio: String = row[0], zone: String = row[1]
                let policy = try ranking.policy(db, portfolio: portfolio)
                if policy.window.isOpen(at: now, in: TimeZone(identifier: zone) ?? AgencyCalendar.timeZone) { open.append((portfolio, zone)) }
            }
            if !open.isEmpty {
                var named = Self.scoreArguments(now: now)
                named["free"] = now.timeIntervalSinceReferenceDate + Self.freeFromMargin
                for (index, group) in open.enumerated() {
                    named["portfolio\(index)"] = group.0
                    named["zone\(index)"] = group.1
                }
                let groups = open.indices.map { "(:portfolio\($0), :zone\($0))" }.joined(separator: ", ")
                let ids = try String.fetchCursor(db, sql: """
                    SELECT dossier_id FROM work_list
                    WHERE callable = 1 AND free_from <= :free AND (portfolio, timezone) IN (VALUES \(groups))
                    ORDER BY \(Self.scoreSQL) DESC, portfolio, reference
                    """, arguments: StatementArguments(named))
                while let id = try ids.next() {
                    if let ranked = try ranking.rank(db, dossierId: id), ranked.violations.isEmpty {
                        return WorkPick(pick: ranked, held: 0, firstHeld: [])
                    }
                }
            }
            // `+callable`: one pass over the table reads faster than the partial index of `free_from`,
            // which SQLite would otherwise walk with a table lookup per row.
            let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM work_list WHERE +callable = 1") ?? 0
            let first = try Self.workOrder(db, now: now, callableOnly: true, limit: shown).compactMap { try ranking.rank(db, dossierId: $0) }
            return WorkPick(pick: nil, held: held, firstHeld: first)
        }
    }

    /// The rules a call on this dossier now would break (the call is still recorded: it happened).
    public func violations(reference: String, now: Date = Date()) throws -> [ContactRules.Violation] {
        try violations(dossierId: try dossierId(reference: reference), now: now)
    }

    public func violations(dossierId: String, now: Date = Date()) throws -> [ContactRules.Violation] {
        try read { db in
            var ranking = Ranking(now: now)
            return try ranking.rank(db, dossierId: dossierId)?.violations ?? []
        }
    }

    /// Dossier ids in priority order (score, then portfolio and reference), from the work list.
    static func workOrder(_ db: Database, now: Date, callableOnly: Bool = false, status: String? = nil, portfolio: String? = nil,
                          limit: Int = -1) throws -> [String] {
        var arguments = scoreArguments(now: now)
        // updateValue keeps a nil filter as a bound NULL (a subscript set to nil would drop the key).
        arguments.updateValue(status, forKey: "status")
        arguments.updateValue(portfolio, forKey: "portfolio")
        arguments.updateValue(limit, forKey: "limit")
        return try String.fetchAll(db, sql: """
            SELECT dossier_id FROM work_list
            WHERE (\(callableOnly ? "+callable = 1" : "1")) AND (:status IS NULL OR status = :status) AND (:portfolio IS NULL OR portfolio = :portfolio)
            ORDER BY \(scoreSQL) DESC, portfolio, reference LIMIT :limit
            """, arguments: StatementArguments(arguments))
    }

    /// Scores one dossier at a time, exactly as DESIGN §6 says, with the portfolios' policies read once.
    struct Ranking {
        let now: Date
        private var policies = ContactPolicies()

        init(now: Date) { self.now = now }

        mutating func policy(_ db: Database, portfolio: String) throws -> ContactPolicy {
            try policies.policy(db, portfolio: portfolio)
        }

        /// The dossier held under this id, scored and checked against its portfolio's rules; nil if none is held.
        mutating func rank(_ db: Database, dossierId: String) throws -> RankedDossier? {
            guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM dossiers WHERE id = ?"), arguments: [dossierId]) else { return nil }
            let dossier = try Replica.overlaid(db, try Replica.decodeDossier(text))
            let calls = try Replica.calls(db, dossierId: dossier.id)
            let score = Priority.score(Priority.Input.from(dossier: dossier, lastContact: calls.map(\.time).max(), now: now), now: now)
            let violations = ContactRules.check(
                policy: try policy(db, portfolio: dossier.portfolio),
                debtorTimeZone: TimeZone(identifier: dossier.timezone) ?? AgencyCalendar.timeZone,
                attempts: calls.map(\.time), lastRightPartyContact: calls.filter(\.rightParty).map(\.time).max(),
                callbackDue: dossier.nextCallback.flatMap(Timestamp.parse).flatMap { $0 <= now ? $0 : nil }, now: now)
            return RankedDossier(dossier: dossier, score: score, violations: violations)
        }
    }

    /// Calls on a dossier, merged and not yet sent: when, and whether the debtor was reached.
    /// `events`, when given, are all the dossier's merged events (a page that just replaced them
    /// whole): they are read from there instead of the stored text.
    static func calls(_ db: Database, dossierId: String, events: [EventRecord]? = nil) throws -> [(time: Date, rightParty: Bool)] {
        let merged: [(time: String?, outcome: String?)] = try events.map { events in
            events.filter { $0.kind == OpKind.call.rawValue }.map { ($0.clientTime, $0.payload.outcome) }
        } ?? Row.fetchAll(db.cachedStatement(sql: """
            SELECT json_extract(record, '$.client_time') AS time, json_extract(record, '$.payload.outcome') AS outcome
            FROM events WHERE dossier_id = ? AND json_extract(record, '$.kind') = 'call'
            """), arguments: [dossierId]).map { ($0["time"], $0["outcome"]) }
        let pending: [(time: String?, outcome: String?)] = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT COALESCE(json_extract(op, '$.payload.at'), recorded_at) AS time, json_extract(op, '$.payload.outcome') AS outcome
            FROM outbox WHERE dossier_id = ? AND kind = 'call'
            """), arguments: [dossierId]).map { ($0["time"], $0["outcome"]) }
        return (merged + pending).compactMap { call in
            guard let time = call.time.flatMap(Timestamp.parse) else { return nil }
            return (time, call.outcome.flatMap(OutcomeCode.init)?.isRightParty ?? false)
        }
    }
}
