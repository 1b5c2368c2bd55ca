import Foundation
import GRDB
import HomeshoreCore

/// Dossiers looked up on the hub for an inbound call (`homeshore lookup`). They are kept apart from
/// the scope tables, so the replica still equals the hub's view of the agent's scope, but calls and
/// notes typed on them queue like any other op. A fresh look-up replaces one; it leaves when the
/// dossier enters the scope, and after `lookupLifetime`.
extension Replica {
    public static let lookupLifetime: TimeInterval = 7 * 86_400

    /// The "v3-lookups" migration. Shipped: never edit it, add a new migration.
    ///
    /// The triggers keep the rules where every writer sees them: a pulled dossier takes over from its
    /// look-up; wiping the credentials wipes the look-ups; each completed sync drops look-ups older than
    /// 7 days (counted from the sync's own time); an op refused on a looked-up dossier keeps its reference.
    static let lookupsSchema = """
        CREATE TABLE lookups (
            id TEXT PRIMARY KEY,
            reference TEXT NOT NULL,
            portfolio TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            record TEXT NOT NULL,
            events TEXT NOT NULL
        );
        CREATE INDEX lookups_reference ON lookups(reference);
        CREATE TRIGGER lookups_enter_scope AFTER INSERT ON dossiers
        BEGIN
            DELETE FROM lookups WHERE id = NEW.id;
        END;
        CREATE TRIGGER lookups_wipe AFTER DELETE ON meta WHEN OLD.key = 'device_token'
        BEGIN
            DELETE FROM lookups;
        END;
        CREATE TRIGGER lookups_expire_first_sync AFTER INSERT ON meta WHEN NEW.key = 'last_sync_at'
        BEGIN
            DELETE FROM lookups WHERE fetched_at < strftime('%Y-%m-%dT%H:%M:%fZ', NEW.value, '-7 days');
        END;
        CREATE TRIGGER lookups_expire_sync AFTER UPDATE ON meta WHEN NEW.key = 'last_sync_at'
        BEGIN
            DELETE FROM lookups WHERE fetched_at < strftime('%Y-%m-%dT%H:%M:%fZ', NEW.value, '-7 days');
        END;
        CREATE TRIGGER lookups_rejected_reference AFTER INSERT ON rejected WHEN NEW.reference IS NULL
        BEGIN
            UPDATE rejected SET reference = (SELECT reference FROM lookups WHERE id = json_extract(NEW.op, '$.dossier_id'))
            WHERE id = NEW.id;
        END;
        """

    /// Keeps a dossier fetched by `homeshore lookup`, replacing an earlier look-up of it, and answers
    /// it as `show` would (with this laptop's queued ops on it). A dossier already in the scope is not
    /// kept twice: sync keeps it up to date.
    @discardableResult
    public func storeLookup(_ change: DossierChange, now: Date = Date()) throws -> DossierView {
        try write { db in
            try Self.pruneLookups(db, now: now)
            let d = change.dossier
            let events = change.events.sorted { $0.seq < $1.seq }
            let inScope = try Int.fetchOne(db, sql: "SELECT 1 FROM dossiers WHERE id = ?", arguments: [d.id]) != nil
            if !inScope {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO lookups (id, reference, portfolio, fetched_at, record, events) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [d.id, d.reference, d.portfolio, Timestamp.string(from: now), try Self.json(d), try Self.json(events)])
            }
            return try Self.lookupView(db, dossier: d, events: events)
        }
    }

    /// Whether the dossier is here only as a look-up (not in the scope).
    public func isLookedUp(dossierId: String, now: Date = Date()) throws -> Bool {
        try read { db in
            try Int.fetchOne(db, sql: """
                SELECT 1 FROM lookups WHERE id = ? AND fetched_at >= ? AND NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = lookups.id)
                """, arguments: [dossierId, Self.lookupCutoff(now)]) != nil
        }
    }

    /// The looked-up dossiers still kept, by portfolio and reference.
    public func lookups(now: Date = Date()) throws -> [DossierRecord] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT record FROM lookups WHERE fetched_at >= ? AND NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = lookups.id) ORDER BY portfolio, reference
                """, arguments: [Self.lookupCutoff(now)]).map(Self.decodeDossier)
        }
    }

    /// Drops look-ups older than `lookupLifetime`; returns how many.
    @discardableResult
    public func pruneLookups(now: Date = Date()) throws -> Int {
        try write { db in try Self.pruneLookups(db, now: now) }
    }

    @discardableResult
    static func pruneLookups(_ db: Database, now: Date) throws -> Int {
        try db.execute(sql: "DELETE FROM lookups WHERE fetched_at < ?", arguments: [lookupCutoff(now)])
        return db.changesCount
    }

    static func lookupCutoff(_ now: Date) -> String {
        Timestamp.string(from: now.addingTimeInterval(-lookupLifetime))
    }

    /// Look-ups matching `reference` (and `portfolio`), not expired and not in the scope: rows of `id`, `portfolio`.
    static func lookupCandidates(_ db: Database, reference: String, portfolio: String?, now: Date) throws -> [Row] {
        try Row.fetchAll(db, sql: """
            SELECT id, portfolio FROM lookups WHERE reference = ? AND (? IS NULL OR portfolio = ?) AND fetched_at >= ?
            AND NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = lookups.id) ORDER BY portfolio
            """, arguments: [reference, portfolio, portfolio, lookupCutoff(now)])
    }

    /// A kept look-up as `show` displays it, or nil.
    static func lookupView(_ db: Database, id: String, now: Date) throws -> DossierView? {
        guard let row = try Row.fetchOne(db, sql: "SELECT record, events FROM lookups WHERE id = ? AND fetched_at >= ?",
                                         arguments: [id, lookupCutoff(now)]) else { return nil }
        let dossier = try decodeDossier(row["record"])
        let events = try WireJSON.decode([EventRecord].self, from: Data((row["events"] as String).utf8))
        return try lookupView(db, dossier: dossier, events: events)
    }

    /// The hub's copy with this laptop's own queued edits over it, and its history with the queued ops, newest first.
    static func lookupView(_ db: Database, dossier: DossierRecord, events: [EventRecord]) throws -> DossierView {
        let agent = try meta(db, .agent)
        // Queued ops the hub already has (an earlier look-up came after the sync) are listed once.
        let merged = Set(events.map(\.id))
        var history = events.map { event in
            HistoryItem(time: event.clientTime ?? event.hubTime, kind: event.kind, agent: event.agent,
                        payload: event.payload, pending: false, flag: event.flag)
        }
        history += try Replica.queuedOps(db, dossierId: dossier.id).filter { !merged.contains($0.id) }.map { op in
            HistoryItem(time: op.kind == OpKind.call.rawValue ? (op.payload.at ?? op.recordedAt) : op.recordedAt,
                        kind: op.kind, agent: agent, payload: op.payload, pending: true, flag: nil)
        }
        history.sort { $0.time > $1.time }
        return DossierView(dossier: try overlaid(db, dossier), history: history)
    }

    static func queuedOps(_ db: Database, dossierId: String) throws -> [SyncOp] {
        try String.fetchAll(db, sql: "SELECT op FROM outbox WHERE dossier_id = ? ORDER BY device_seq", arguments: [dossierId])
            .map { try WireJSON.decode(SyncOp.self, from: Data($0.utf8)) }
    }
}
