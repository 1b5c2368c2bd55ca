import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// One page of the agent's scope after `cursor` (a `PullCursor`). Every statement searches an
    /// index by the agent and a sequence number, or by the page's own dossiers: a page costs what it
    /// carries, whatever the size of the scope. The page is read in one snapshot; with SQLite a
    /// sequence number becomes visible only with every lower one (one writer commits at a time).
    public func pull(agentId: Int64, after cursor: Int64, limit: Int) async throws -> PullPage {
        let from = PullCursor(cursor)
        return try await pool.read { db in
            let changed = try Row.fetchAll(db.cachedStatement(sql: Self.pulledSelect + """
                 WHERE d.assigned_agent_id = ? AND d.last_seq > ? ORDER BY d.last_seq LIMIT ?
                """), arguments: [agentId, from.position, limit + 1])
            let exits = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT dossier_id, seq FROM scope_exits WHERE agent_id = ? AND seq > ? ORDER BY seq LIMIT ?
                """), arguments: [agentId, from.position, limit + 1])
            // Few portfolios change; each is checked against the agent's dossiers by an index.
            let policies = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT p.name, p.last_seq FROM portfolios p WHERE p.last_seq > ?
                AND EXISTS (SELECT 1 FROM dossiers d WHERE d.assigned_agent_id = ? AND d.portfolio = p.name)
                ORDER BY p.last_seq LIMIT ?
                """), arguments: [from.position, agentId, limit + 1])
            // The three lists are ordered by sequence; take the first `limit` items of their merge.
            enum Item { case upsert(Row), removal(String), portfolio(String) }
            var items: [(seq: Int64, item: Item)] = changed.map { ($0[Self.pulledLastSeq], .upsert($0)) }
                + exits.map { ($0["seq"], .removal($0["dossier_id"])) }
                + policies.map { ($0["last_seq"], .portfolio($0["name"])) }
            items.sort { $0.seq < $1.seq }
            let more = items.count > limit
            items = Array(items.prefix(limit))
            let reached = items.last?.seq ?? from.position
            // Until the last page the device holds every change up to `base` only (see PullCursor).
            let next = more ? PullCursor(base: from.base, position: reached) : PullCursor(plain: reached)
            var page = PullPage(removals: [], upserts: [], portfolios: [], cursor: next.encoded, more: more)
            var portfolioNames = Set<String>()
            var rows: [Row] = []
            for (_, item) in items {
                switch item {
                case .removal(let id): page.removals.append(id)
                case .portfolio(let name): portfolioNames.insert(name)
                case .upsert(let row): rows.append(row)
                }
            }
            // A dossier that entered the scope after the base comes whole, with its whole history;
            // the others bring what happened after the base.
            let whole = Set(rows.filter { ($0[Self.pulledAssignedSeq] as Int64? ?? 0) > from.base }.map { $0[0] as String })
            let ids = rows.map { $0[0] as String }
            let work = try Self.loadWork(db, dossierIds: ids)
            var events = try Self.events(db, dossierIds: ids.filter(whole.contains), after: 0)
            for (id, list) in try Self.events(db, dossierIds: ids.filter { !whole.contains($0) }, after: from.base) { events[id] = list }
            for row in rows {
                var dossier = Self.dossier(pulled: row)
                dossier.work = work[dossier.id] ?? DossierWork()
                let isWhole = whole.contains(dossier.id)
                page.upserts.append(PulledDossier(dossier: dossier, events: events[dossier.id] ?? [], whole: isWhole))
                // A dossier from a portfolio new to this laptop brings that portfolio's policy and scripts.
                if isWhole { portfolioNames.insert(dossier.portfolio) }
            }
            page.portfolios = try portfolioNames.sorted().compactMap { try Self.portfolioRecord(db, name: $0) }
            return page
        }
    }

    /// The events of these dossiers after `seq`, each list in sequence order, in one statement.
    static func events(_ db: Database, dossierIds: [String], after seq: Int64) throws -> [String: [PulledEvent]] {
        guard !dossierIds.isEmpty else { return [:] }
        var events: [String: [PulledEvent]] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, dossier_id, seq, kind, agent, device_id, client_time, hub_time, payload, flag FROM events
            WHERE dossier_id IN (SELECT value FROM json_each(?)) AND seq > ? ORDER BY dossier_id, seq
            """), arguments: [try idList(dossierIds), seq])
        while let row = try rows.next() {
            // By position: a page reads tens of thousands of these.
            let event = PulledEvent(id: row[0], dossierId: row[1], seq: row[2], kind: row[3], agent: row[4], device: row[5],
                                    clientTime: row[6], hubTime: row[7], payload: row[8], flag: row[9])
            events[event.dossierId, default: []].append(event)
        }
        return events
    }

    /// A list of ids as one statement argument (a JSON array read with `json_each`), so one cached
    /// statement serves any number of them.
    static func idList(_ ids: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
    }

    /// The dossier columns a pull sends, read by position: by name, GRDB lower-cases every column
    /// name of every row, which cost a first sync more than its statements.
    static let pulledSelect = """
        SELECT d.id, d.portfolio, d.reference, d.debtor_name, d.debtor_type, d.amount_due, d.balance, d.currency, d.due_date,
               d.phone, d.phone2, d.email, d.address, d.postcode, d.city, d.country, d.timezone, d.language, d.customer_since,
               d.prior_incidents, d.vip, d.invoice_refs, d.letter_ref, d.letter_date, d.notes, d.status, d.next_callback,
               a.login, d.placed_at, d.field_clocks, d.closed_at, d.segment, d.last_seq, d.assigned_seq
        FROM dossiers d LEFT JOIN agents a ON a.id = d.assigned_agent_id
        """
    static let pulledLastSeq = 32
    static let pulledAssignedSeq = 33

    static func dossier(pulled row: Row) -> DossierRecord {
        let clocksText: String = row[29]
        let clocks = clocksText == "{}" ? [:] : (try? JSONDecoder().decode([String: String].self, from: Data(clocksText.utf8))) ?? [:]
        return DossierRecord(
            id: row[0], portfolio: row[1], reference: row[2], debtorName: row[3], debtorType: row[4], amountDue: row[5], balance: row[6],
            currency: row[7], dueDate: row[8], phone: row[9], phone2: row[10], email: row[11], address: row[12], postcode: row[13],
            city: row[14], country: row[15], timezone: row[16], language: row[17], customerSince: row[18], priorIncidents: row[19],
            vip: row[20], invoiceRefs: row[21], letterRef: row[22], letterDate: row[23], notes: row[24], status: row[25],
            nextCallback: row[26], assignedTo: row[27], placedAt: row[28], fieldClocks: clocks, closedAt: row[30], segment: row[31])
    }
}
