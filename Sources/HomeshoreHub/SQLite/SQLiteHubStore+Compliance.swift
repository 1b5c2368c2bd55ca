import Foundation
import GRDB
import HomeshoreCore

/// A call placed outside the contact rules, for the compliance report.
public struct ComplianceEntry: Sendable, Equatable, Codable {
    public var time: String
    public var agent: String?
    public var portfolio: String
    public var reference: String
    public var outcome: String?
    public var breaches: String
}

extension SQLiteHubStore {
    /// Checks a merged call against the portfolio's rules as they stood when it was made, counting
    /// every agent's earlier calls. The call is kept either way; a breach is noted for supervisors.
    /// `policy` is the dossier's portfolio's, read once per batch by the caller.
    static func recordCompliance(_ db: Database, eventId: String, dossier row: Row, at: String, policy: ContactPolicy) throws {
        guard let when = Timestamp.parse(at) else { return }
        let dossierId: String = row["id"]
        // The rules look back 7 days (the cap) and one rest period (the last right-party contact):
        // older calls change nothing, so the index range stops there, however long the history.
        let lookBack = max(7 * 86_400, policy.restAfterContact)
        // Only each call's outcome matters here: read it from the stored JSON in SQL rather than
        // decode every earlier call's payload in Swift (the largest cost of merging a call on a
        // dossier called often).
        let earlier = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT client_time, json_extract(payload, '$.outcome') FROM events
            WHERE dossier_id = ? AND kind = 'call' AND client_time > ? AND client_time < ? AND id != ?
            """), arguments: [dossierId, Timestamp.string(from: when.addingTimeInterval(-lookBack - 1)), Timestamp.string(from: when), eventId])
        let calls: [(Date, Bool)] = earlier.compactMap { call in
            guard let time = (call[0] as String?).flatMap(Timestamp.parse) else { return nil }
            // `fromDatabaseValue`: an outcome stored as anything but text counts as no outcome, as before.
            return (time, String.fromDatabaseValue(call[1] as DatabaseValue).flatMap(OutcomeCode.init)?.isRightParty ?? false)
        }
        let callback = (row["next_callback"] as String?).flatMap(Timestamp.parse).flatMap { $0 <= when ? $0 : nil }
        let breaches = ContactRules.check(policy: policy, debtorTimeZone: TimeZone(identifier: row["timezone"]) ?? AgencyCalendar.timeZone,
                                          attempts: calls.map(\.0), lastRightPartyContact: calls.filter(\.1).map(\.0).max(),
                                          callbackDue: callback, now: when)
        guard !breaches.isEmpty else { return }
        try db.cachedStatement(sql: "UPDATE events SET compliance = ? WHERE id = ?").execute(arguments: [breaches.map(\.message).joined(separator: " "), eventId])
    }

    public func compliance(from: String?, to: String?) async throws -> [ComplianceEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.client_time, e.agent, e.payload, e.compliance, d.portfolio, d.reference FROM events e
                JOIN dossiers d ON d.id = e.dossier_id
                WHERE e.compliance IS NOT NULL AND (? IS NULL OR e.client_time >= ?) AND (? IS NULL OR e.client_time < ?)
                ORDER BY e.client_time
                """, arguments: [from, from, to, to]).map { row in
                let payload = try? WireJSON.decode(OpPayload.self, from: Data((row["payload"] as String).utf8))
                return ComplianceEntry(time: row["client_time"], agent: row["agent"], portfolio: row["portfolio"],
                                       reference: row["reference"], outcome: payload?.outcome, breaches: row["compliance"])
            }
        }
    }
}
