import Foundation
import GRDB
import HomeshoreCore

extension Replica {
    /// Folds one sync answer into the replica, in one transaction: acknowledged ops leave the outbox,
    /// refused ones move to the rejected list, removals and upserts apply, and the cursor moves.
    /// If the process dies before this commits, the next sync re-sends the same ops (the hub answers
    /// `duplicate`) and re-pulls from the old cursor.
    public func apply(_ response: SyncResponse, now: Date = Date()) throws {
        try write { db in
            for result in response.results {
                switch result.status {
                case .applied, .duplicate:
                    try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [result.id])
                case .rejected:
                    guard let row = try Row.fetchOne(db, sql: """
                        SELECT o.*, d.reference FROM outbox o LEFT JOIN dossiers d ON d.id = o.dossier_id WHERE o.id = ?
                        """, arguments: [result.id]) else { continue }
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO rejected (id, device_seq, reference, kind, code, reason, rejected_at, op) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [result.id, row["device_seq"] as Int64, row["reference"] as String?, row["kind"] as String,
                                         result.code, result.reason ?? "refused by the hub", Timestamp.string(from: now), row["op"] as String])
                    try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [result.id])
                }
            }
            for id in response.removals { try Self.delete(db, dossierId: id) }
            for portfolio in response.portfolios ?? [] {
                try db.execute(sql: "INSERT OR REPLACE INTO portfolios (name, record) VALUES (?, ?)", arguments: [portfolio.name, try Self.json(portfolio)])
            }
            var clock = HybridLogicalClock(node: try Self.meta(db, .deviceId) ?? "device", last: try Self.meta(db, .hlc).flatMap(HLCStamp.init))
            for change in response.upserts {
                if change.whole { try Self.delete(db, dossierId: change.dossier.id) }
                try Self.upsert(db, change.dossier)
                for event in change.events {
                    try db.execute(sql: "INSERT OR REPLACE INTO events (id, dossier_id, seq, record) VALUES (?, ?, ?, ?)",
                                   arguments: [event.id, event.dossierId, event.seq, try Self.json(event)])
                }
                // Later local edits must win over what other devices wrote before we saw it.
                for stamp in change.dossier.fieldClocks.values.compactMap(HLCStamp.init) { clock.observe(stamp) }
            }
            try Self.setMeta(db, .hlc, clock.last.description)
            try Self.setMeta(db, .cursor, String(response.cursor))
            if !response.more { try Self.setMeta(db, .lastSyncAt, Timestamp.string(from: now)) }
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try WireJSON.encode(value), as: UTF8.self)
    }

    static func upsert(_ db: Database, _ d: DossierRecord) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO dossiers (id, portfolio, reference, debtor_name, status, balance, currency, city, next_callback, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [d.id, d.portfolio, d.reference, d.debtorName, d.status, d.balance, d.currency, d.city, d.nextCallback, try json(d)])
        try db.execute(sql: "DELETE FROM dossier_search WHERE dossier_id = ?", arguments: [d.id])
        let phones = [d.phone, d.phone2].compactMap { $0 }.flatMap(SearchText.phoneForms).joined(separator: " ")
        try db.execute(sql: "INSERT INTO dossier_search (dossier_id, reference, debtor_name, phones, email, city) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [d.id, d.reference, d.debtorName, phones, d.email, d.city])
    }

    /// A dossier leaving the scope leaves the laptop with its whole history. Queued ops on it stay:
    /// they are the agent's work and the hub still takes them (flagged).
    static func delete(_ db: Database, dossierId: String) throws {
        try db.execute(sql: "DELETE FROM events WHERE dossier_id = ?", arguments: [dossierId])
        try db.execute(sql: "DELETE FROM dossier_search WHERE dossier_id = ?", arguments: [dossierId])
        try db.execute(sql: "DELETE FROM dossiers WHERE id = ?", arguments: [dossierId])
    }
}
