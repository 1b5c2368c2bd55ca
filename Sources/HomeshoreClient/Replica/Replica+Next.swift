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

extension Replica {
    /// Every dossier held, most urgent first (DESIGN §6 priority), each with the contact rules it
    /// would break if called now. Works offline: attempts count every agent's calls the replica knows.
    public func ranked(now: Date = Date()) throws -> [RankedDossier] {
        try ranked(where: nil, now: now)
    }

    func ranked(where dossierId: String?, now: Date) throws -> [RankedDossier] {
        try read { db in
            var policies: [String: ContactPolicy] = [:]
            var ranked: [RankedDossier] = []
            for text in try String.fetchAll(db, sql: "SELECT record FROM dossiers WHERE ? IS NULL OR id = ?", arguments: [dossierId, dossierId]) {
                let dossier = try Self.overlaid(db, try Self.decodeDossier(text))
                if policies[dossier.portfolio] == nil {
                    policies[dossier.portfolio] = try String.fetchOne(db, sql: "SELECT record FROM portfolios WHERE name = ?", arguments: [dossier.portfolio])
                        .flatMap { try WireJSON.decode(PortfolioRecord.self, from: Data($0.utf8)).contact } ?? ContactPolicy()
                }
                let calls = try Self.calls(db, dossierId: dossier.id)
                let lastContact = calls.map(\.time).max()
                let score = Priority.score(Priority.Input.from(dossier: dossier, lastContact: lastContact, now: now), now: now)
                let violations = ContactRules.check(
                    policy: policies[dossier.portfolio] ?? ContactPolicy(),
                    debtorTimeZone: TimeZone(identifier: dossier.timezone) ?? AgencyCalendar.timeZone,
                    attempts: calls.map(\.time), lastRightPartyContact: calls.filter(\.rightParty).map(\.time).max(),
                    callbackDue: dossier.nextCallback.flatMap(Timestamp.parse).flatMap { $0 <= now ? $0 : nil }, now: now)
                ranked.append(RankedDossier(dossier: dossier, score: score, violations: violations))
            }
            return ranked.sorted {
                ($0.score.value, $1.dossier.portfolio, $1.dossier.reference) > ($1.score.value, $0.dossier.portfolio, $0.dossier.reference)
            }
        }
    }

    /// What to work now: the most urgent callable dossier that no contact rule holds back.
    public func next(now: Date = Date()) throws -> RankedDossier? {
        try ranked(now: now).first { $0.isCallable && $0.violations.isEmpty }
    }

    /// The rules a call on this dossier now would break (the call is still recorded: it happened).
    public func violations(reference: String, now: Date = Date()) throws -> [ContactRules.Violation] {
        try violations(dossierId: try dossierId(reference: reference), now: now)
    }

    public func violations(dossierId: String, now: Date = Date()) throws -> [ContactRules.Violation] {
        try ranked(where: dossierId, now: now).first?.violations ?? []
    }

    /// Calls on a dossier, merged and not yet sent: when, and whether the debtor was reached.
    static func calls(_ db: Database, dossierId: String) throws -> [(time: Date, rightParty: Bool)] {
        let merged = try Row.fetchAll(db, sql: """
            SELECT json_extract(record, '$.client_time') AS time, json_extract(record, '$.payload.outcome') AS outcome
            FROM events WHERE dossier_id = ? AND json_extract(record, '$.kind') = 'call'
            """, arguments: [dossierId])
        let pending = try Row.fetchAll(db, sql: """
            SELECT COALESCE(json_extract(op, '$.payload.at'), recorded_at) AS time, json_extract(op, '$.payload.outcome') AS outcome
            FROM outbox WHERE dossier_id = ? AND kind = 'call'
            """, arguments: [dossierId])
        return (merged + pending).compactMap { row in
            guard let time = (row["time"] as String?).flatMap(Timestamp.parse) else { return nil }
            return (time, (row["outcome"] as String?).flatMap(OutcomeCode.init)?.isRightParty ?? false)
        }
    }
}
