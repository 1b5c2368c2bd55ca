import Foundation
import GRDB
import HomeshoreCore

extension Replica {
    /// Folds one sync answer into the replica, in one transaction: acknowledged ops leave the outbox,
    /// refused ones move to the rejected list, removals and upserts apply, and the cursor moves.
    /// If the process dies before this commits, the next sync re-sends the same ops (the hub answers
    /// `duplicate`) and re-pulls from the old cursor.
    public func apply(_ response: SyncResponse, now: Date = Date()) throws {
        try apply(response, raw: nil, now: now)
    }

    /// `apply`, storing `raw`, the hub's own text of the records when the transport kept it (and it
    /// is that of this answer), as it came rather than encoding again what was just decoded.
    func apply(_ response: SyncResponse, raw: RawPage?, now: Date = Date()) throws {
        let raw = raw.flatMap { $0.matches(response) ? $0 : nil }
        try write { db in
            // Dossiers whose queued ops leave the outbox: their work-list rows lose those ops' overlay.
            var unqueued = Set<String>()
            for result in response.results {
                if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT dossier_id, kind FROM outbox WHERE id = ?"), arguments: [result.id]),
                   Self.opKindsShapingWork.contains(row["kind"] as String) {
                    unqueued.insert(row["dossier_id"])
                }
                switch result.status {
                case .applied, .duplicate:
                    try db.cachedStatement(sql: "DELETE FROM outbox WHERE id = ?").execute(arguments: [result.id])
                case .rejected:
                    guard let row = try Row.fetchOne(db, sql: """
                        SELECT o.*, d.reference FROM outbox o LEFT JOIN dossiers d ON d.id = o.dossier_id WHERE o.id = ?
                        """, arguments: [result.id]) else { continue }
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO rejected (id, device_seq, reference, kind, code, reason, rejected_at, op) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [result.id, row["device_seq"] as Int64, row["reference"] as String?, row["kind"] as String,
                                         result.code, result.reason ?? "refused by the hub", Timestamp.string(from: now), row["op"] as String])
                    try db.cachedStatement(sql: "DELETE FROM outbox WHERE id = ?").execute(arguments: [result.id])
                }
            }
            for id in response.removals { try Self.delete(db, dossierId: id) }
            // A portfolio whose contact policy changes moves how long each of its dossiers is held back.
            var newPolicies = Set<String>()
            for portfolio in response.portfolios ?? [] {
                let text = try Self.json(portfolio)
                // Compared as stored and read back, since the work list reads the policy that way.
                if try Self.storedPolicy(db, portfolio: portfolio.name) != Self.policy(ofRecord: text) { newPolicies.insert(portfolio.name) }
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO portfolios (name, record) VALUES (?, ?)").execute(arguments: [portfolio.name, text])
            }
            var policies = ContactPolicies()
            // Before the upserts, so a first page (nothing held yet) rewrites nothing twice.
            try Self.refreshWork(db, portfolios: newPolicies, policies: &policies)
            var clock = HybridLogicalClock(node: try Self.meta(db, .deviceId) ?? "device", last: try Self.meta(db, .hlc).flatMap(HLCStamp.init))
            let insertEvent = try db.cachedStatement(sql: "INSERT OR REPLACE INTO events (id, dossier_id, seq, record) VALUES (?, ?, ?, ?)")
            for (index, change) in response.upserts.enumerated() {
                if change.whole { try Self.delete(db, dossierId: change.dossier.id) }
                try Self.upsert(db, change.dossier, text: raw?.dossiers[index])
                for (number, event) in change.events.enumerated() {
                    try insertEvent.execute(arguments: [event.id, event.dossierId, event.seq, try raw?.events[index][number] ?? Self.json(event)])
                }
                // A whole change replaced every event: its calls are read from the page, not from SQL.
                try Self.refreshWork(db, stored: change.dossier, events: change.whole ? change.events : nil, policies: &policies)
                unqueued.remove(change.dossier.id)
                // Later local edits must win over what other devices wrote before we saw it.
                for stamp in change.dossier.fieldClocks.values.compactMap(HLCStamp.init) { clock.observe(stamp) }
            }
            for id in unqueued { try Self.refreshWork(db, dossierId: id, policies: &policies) }
            try Self.setMeta(db, .hlc, clock.last.description)
            try Self.setMeta(db, .cursor, String(response.cursor))
            if !response.more { try Self.setMeta(db, .lastSyncAt, Timestamp.string(from: now)) }
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try WireJSON.encode(value), as: UTF8.self)
    }

    /// A dossier leaving the scope leaves the laptop with its whole history. Queued ops on it stay:
    /// they are the agent's work and the hub still takes them (flagged).
    static func delete(_ db: Database, dossierId: String) throws {
        try db.cachedStatement(sql: "DELETE FROM events WHERE dossier_id = ?").execute(arguments: [dossierId])
        try unindexSearch(db, dossierId: dossierId)
        try db.cachedStatement(sql: "DELETE FROM dossiers WHERE id = ?").execute(arguments: [dossierId])
        try db.cachedStatement(sql: "DELETE FROM work_list WHERE dossier_id = ?").execute(arguments: [dossierId])
    }
}
