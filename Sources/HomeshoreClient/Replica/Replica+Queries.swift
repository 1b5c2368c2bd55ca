import Foundation
import GRDB
import HomeshoreCore

/// One line of a dossier's history: a merged event from the hub, or an op of this laptop not yet sent.
public struct HistoryItem: Sendable, Equatable, Codable {
    public var time: String
    public var kind: String
    public var agent: String?
    public var payload: OpPayload
    public var pending: Bool
    public var flag: String?
}

public struct DossierView: Sendable {
    public var dossier: DossierRecord
    /// Newest first.
    public var history: [HistoryItem]
}

extension Replica {
    /// The dossiers held, in the order `homeshore next` would work them.
    public func list(status: String? = nil, portfolio: String? = nil, now: Date = Date()) throws -> [DossierRecord] {
        try read { db in
            try Self.workOrder(db, now: now, status: status, portfolio: portfolio).compactMap { try Self.heldDossier(db, id: $0) }
        }
    }

    /// `list` as listing lines, read from the work list alone: no record is decoded.
    public func listLines(status: String? = nil, portfolio: String? = nil, now: Date = Date()) throws -> [DossierLine] {
        var arguments = Self.scoreArguments(now: now)
        arguments.updateValue(status, forKey: "status")
        arguments.updateValue(portfolio, forKey: "portfolio")
        return try read { db in
            try DossierLine.fetchAll(db, sql: """
                SELECT \(DossierLine.columns) FROM work_list
                WHERE (:status IS NULL OR status = :status) AND (:portfolio IS NULL OR portfolio = :portfolio)
                ORDER BY \(Self.scoreSQL) DESC, portfolio, reference
                """, arguments: StatementArguments(arguments))
        }
    }

    /// Full-text search over reference, debtor name, phones, email and city; accents are folded.
    public func search(_ text: String) throws -> [DossierRecord] {
        try read { db in try Self.searchIds(db, text).compactMap { try Self.heldDossier(db, id: $0) } }
    }

    /// `search` as listing lines, best match first.
    public func searchLines(_ text: String) throws -> [DossierLine] {
        guard let query = SearchText.matchQuery(text) else { return [] }
        return try read { db in
            try DossierLine.fetchAll(db, sql: """
                SELECT \(DossierLine.columns(prefix: "w.")) FROM dossier_search s JOIN work_list w ON w.dossier_id = s.dossier_id
                WHERE dossier_search MATCH ? ORDER BY s.rank LIMIT \(Self.searchLimit)
                """, arguments: [query])
        }
    }

    static let searchLimit = 200

    static func searchIds(_ db: Database, _ text: String) throws -> [String] {
        guard let query = SearchText.matchQuery(text) else { return [] }
        return try String.fetchAll(db, sql: """
            SELECT dossier_id FROM dossier_search WHERE dossier_search MATCH ? ORDER BY rank LIMIT \(searchLimit)
            """, arguments: [query])
    }

    /// A held dossier with this laptop's queued edits over it, or nil.
    static func heldDossier(_ db: Database, id: String) throws -> DossierRecord? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM dossiers WHERE id = ?"), arguments: [id]).map { try overlaid(db, try decodeDossier($0)) }
    }

    /// Finds a dossier by reference (`REF` or `PORTFOLIO/REF`).
    public func dossierId(reference: String) throws -> String {
        try read { db in
            var portfolio: String?
            var ref = reference
            // Dossiers looked up for an inbound call count too (Replica+Lookups).
            let now = Date()
            var rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, portfolio FROM dossiers WHERE reference = ?"), arguments: [ref])
                + Self.lookupCandidates(db, reference: ref, portfolio: nil, now: now)
            if rows.isEmpty, let slash = reference.firstIndex(of: "/") {
                portfolio = String(reference[..<slash])
                ref = String(reference[reference.index(after: slash)...])
                rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, portfolio FROM dossiers WHERE reference = ? AND portfolio = ?"), arguments: [ref, portfolio])
                    + Self.lookupCandidates(db, reference: ref, portfolio: portfolio, now: now)
            }
            guard !rows.isEmpty else {
                throw HomeshoreError("unknown_dossier", "No dossier \(reference) on this laptop; `homeshore list` shows the ones you hold, `homeshore lookup \(reference)` fetches one of your portfolios from the hub.")
            }
            guard rows.count == 1 else {
                let names = rows.map { ($0["portfolio"] as String) + "/" + ref }.joined(separator: " or ")
                throw HomeshoreError("ambiguous_reference", "Several portfolios have a dossier \(ref); write \(names).")
            }
            return rows[0]["id"]
        }
    }

    public func view(reference: String) throws -> DossierView {
        let id = try dossierId(reference: reference)
        return try read { db in
            guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM dossiers WHERE id = ?"), arguments: [id]) else {
                if let lookedUp = try Self.lookupView(db, id: id, now: Date()) { return lookedUp }
                throw HomeshoreError("unknown_dossier", "No dossier \(reference) on this laptop.")
            }
            let dossier = try Self.overlaid(db, try Self.decodeDossier(text))
            let agent = try Self.meta(db, .agent)
            var history = try String.fetchAll(db.cachedStatement(sql: "SELECT record FROM events WHERE dossier_id = ? ORDER BY seq"), arguments: [id]).map { text in
                let event = try WireJSON.decode(EventRecord.self, from: Data(text.utf8))
                return HistoryItem(time: event.clientTime ?? event.hubTime, kind: event.kind, agent: event.agent,
                                   payload: event.payload, pending: false, flag: event.flag)
            }
            history += try queued(db, dossierId: id).map { op in
                HistoryItem(time: op.kind == OpKind.call.rawValue ? (op.payload.at ?? op.recordedAt) : op.recordedAt,
                            kind: op.kind, agent: agent, payload: op.payload, pending: true, flag: nil)
            }
            history.sort { $0.time > $1.time }
            return DossierView(dossier: dossier, history: history)
        }
    }

    static func decodeDossier(_ text: String) throws -> DossierRecord {
        try WireJSON.decode(DossierRecord.self, from: Data(text.utf8))
    }

    /// What the agent sees includes their own edits not yet acknowledged, merged by the same
    /// last-writer-wins rule the hub applies.
    static func overlaid(_ db: Database, _ dossier: DossierRecord) throws -> DossierRecord {
        var result = dossier
        for op in try String.fetchAll(db.cachedStatement(sql: "SELECT op FROM outbox WHERE dossier_id = ? AND kind IN ('contact', 'callback') ORDER BY device_seq"), arguments: [dossier.id]).map({ try WireJSON.decode(SyncOp.self, from: Data($0.utf8)) }) {
            func wins(_ field: String) -> Bool {
                guard let current = result.fieldClocks[field].flatMap(HLCStamp.init), let mine = HLCStamp(op.hlc) else { return true }
                return mine > current
            }
            func set(_ field: String, _ apply: (inout DossierRecord) -> Void) {
                if wins(field) { apply(&result); result.fieldClocks[field] = op.hlc }
            }
            if let phone = op.payload.phone { set("phone") { $0.phone = phone } }
            if let email = op.payload.email { set("email") { $0.email = email } }
            if let address = op.payload.address { set("address") { $0.address = address } }
            if op.kind == OpKind.callback.rawValue, let at = op.payload.at { set("next_callback") { $0.nextCallback = Timestamp.canonical(at) } }
        }
        return result
    }

    /// The replica as canonical JSON: dossiers by id, each with its events by sequence. The hub
    /// produces the same text for the agent's scope, so convergence is a string comparison.
    public func canonicalDump() throws -> String {
        let changes: [DossierChange] = try read { db in
            try String.fetchAll(db, sql: "SELECT record FROM dossiers ORDER BY id").map { text in
                let dossier = try Self.decodeDossier(text)
                let events = try String.fetchAll(db.cachedStatement(sql: "SELECT record FROM events WHERE dossier_id = ? ORDER BY seq"), arguments: [dossier.id])
                    .map { try WireJSON.decode(EventRecord.self, from: Data($0.utf8)) }
                return DossierChange(dossier: dossier, events: events, whole: true)
            }
        }
        return try CanonicalDump.text(changes)
    }

    public func portfolio(_ name: String) throws -> PortfolioRecord? {
        try read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM portfolios WHERE name = ?"), arguments: [name])
                .map { try WireJSON.decode(PortfolioRecord.self, from: Data($0.utf8)) }
        }
    }

    public func dossierCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dossiers") ?? 0 }
    }
}
