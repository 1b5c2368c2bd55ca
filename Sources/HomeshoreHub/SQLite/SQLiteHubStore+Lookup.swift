import Foundation
import GRDB
import HomeshoreCore

/// Inbound look-up: a creditor or debtor calls about a dossier the agent does not hold. The agent may
/// read any dossier of the portfolios they work (and any they hold), and record a call or a note on it.
extension SQLiteHubStore {
    /// The op kinds an agent may record on a dossier of their portfolios that they do not hold.
    static let inboundKinds: Set<OpKind> = [.call, .note]

    /// The portfolios an agent works (the `--portfolios` of `agent add`).
    static func portfolios(_ db: Database, agentId: Int64) throws -> Set<String> {
        let text = try String.fetchOne(db, sql: "SELECT portfolios FROM agents WHERE id = ?", arguments: [agentId]) ?? ""
        return Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// Whether an op on a dossier the agent neither holds nor held is inbound work the hub accepts:
    /// a call or a note, on a dossier of one of the agent's portfolios.
    static func isInbound(_ kind: OpKind, dossier row: Row, agentId: Int64, db: Database) throws -> Bool {
        guard inboundKinds.contains(kind) else { return false }
        return try portfolios(db, agentId: agentId).contains(row["portfolio"] as String)
    }

    public func lookup(reference: String, portfolio: String?, forAgentId agentId: Int64) async throws -> DossierChange {
        try await pool.read { db in
            func candidates(_ reference: String, _ portfolio: String?) throws -> [Row] {
                try Row.fetchAll(db, sql: Self.dossierSelect + " WHERE d.reference = ? AND (? IS NULL OR d.portfolio = ?) ORDER BY d.portfolio",
                                 arguments: [reference, portfolio, portfolio])
            }
            var rows = try candidates(reference, portfolio)
            var shown = portfolio.map { "\($0)/\(reference)" } ?? reference
            // `PORTFOLIO/REF`, as everywhere else, when no reference is written that way.
            if rows.isEmpty, portfolio == nil, reference.contains("/") {
                let key = DossierKey.parse(reference, portfolio: nil)
                rows = try candidates(key.reference, key.portfolio)
                shown = key.description
            }
            guard !rows.isEmpty else {
                throw HomeshoreError("unknown_dossier", "No dossier has the reference \(shown).")
            }
            let mine = try Self.portfolios(db, agentId: agentId)
            let visible = rows.filter { mine.contains($0["portfolio"] as String) || ($0["assigned_agent_id"] as Int64?) == agentId }
            guard !visible.isEmpty else {
                let outside = Set(rows.map { $0["portfolio"] as String }).sorted().joined(separator: ", ")
                throw HomeshoreError("forbidden", "The dossier \(shown) belongs to \(rows.count == 1 ? "portfolio" : "portfolios") \(outside), which you do not work; pass the caller to a colleague of that portfolio or to your supervisor.")
            }
            guard visible.count == 1 else {
                let names = visible.map { $0["portfolio"] as String }.joined(separator: ", ")
                let ref: String = visible[0]["reference"]
                throw HomeshoreError("ambiguous_reference", "The reference \(ref) exists in several of your portfolios (\(names)); add --portfolio or write PORTFOLIO/\(ref).")
            }
            let dossier = try Self.fullDossier(db, visible[0])
            let events = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE dossier_id = ? ORDER BY seq", arguments: [dossier.id]).map(Self.event(from:))
            return DossierChange(dossier: dossier, events: events, whole: true)
        }
    }
}
