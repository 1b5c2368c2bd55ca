import Foundation
import GRDB
import HomeshoreCore

/// What settling one dossier of a batch did.
struct SettleOutcome: Equatable {
    /// A promise, a plan or the status moved (the dossier took a new sequence number).
    var changed: Bool
    /// The dossier's status after settling.
    var status: String
}

extension SQLiteHubStore {
    /// Dossiers settled per batch: each batch costs the same dozen statements, whatever it holds.
    static let settleBatch = 1000

    /// Re-derives promise and plan states from the payments and the calendar, then each dossier's
    /// status, priority and when it next needs upkeep, for many dossiers at once: their work, rows,
    /// calls and credits are read with one statement per kind, each dossier is decided in Swift
    /// (`DossierSettlement`, the same rules as settling it alone), and what moved is written back
    /// with one statement per table. Every change takes a sequence number and leaves an event, as
    /// settling one dossier does. Reads and writes happen in the caller's transaction; nothing read
    /// outside it is trusted. `progress` gets the number of dossiers settled so far, after each batch;
    /// `batch` is only changed by tests, to cross batch edges.
    @discardableResult
    static func settle(_ db: Database, dossierIds: [String], now: Date, batch size: Int = settleBatch,
                       progress: ((Int) -> Void)? = nil) throws -> [String: SettleOutcome] {
        // In id order, each once: a batch is then a range of every dossier-keyed index, whose pages
        // its look-ups and updates share, instead of a thousand pages scattered over the hub.
        let ids = Set(dossierIds).sorted()
        var outcomes: [String: SettleOutcome] = [:]
        outcomes.reserveCapacity(ids.count)
        var start = 0
        while start < ids.count {
            let batch = Array(ids[start..<min(start + size, ids.count)])
            try settleBatch(db, batch, now: now, into: &outcomes)
            start += batch.count
            progress?(start)
        }
        return outcomes
    }

    private static func settleBatch(_ db: Database, _ ids: [String], now: Date, into outcomes: inout [String: SettleOutcome]) throws {
        let today = AgencyCalendar.day(of: now)
        let stamp = Timestamp.string(from: now)
        let idJSON = try idList(ids)
        let work = try loadWork(db, dossierIds: ids)
        let dossiers = try settlingDossiers(db, idJSON)
        let credits = try storedCredits(db, paymentIds: ids.flatMap { work[$0]?.payments.map(\.id) ?? [] })
        var retention: [String: Int] = [:]
        func retentionDays(_ portfolio: String) throws -> Int {
            if let days = retention[portfolio] { return days }
            let days = try Int.fetchOne(db.cachedStatement(sql: "SELECT retention_days FROM portfolios WHERE name = ?"), arguments: [portfolio]) ?? 30
            retention[portfolio] = days
            return days
        }
        var settlements: [DossierSettlement] = []
        for id in ids {
            guard let dossier = dossiers[id] else { continue }
            let dossierWork = work[id] ?? DossierWork()
            var stored: [String: [String: PaymentCredit]] = [:]
            for payment in dossierWork.payments { stored[payment.id] = credits[payment.id] }
            let settlement = try DossierSettlement.decide(dossier, work: dossierWork, credits: stored, retentionDays: retentionDays,
                                                          now: now, today: today, stamp: stamp)
            outcomes[id] = SettleOutcome(changed: settlement.changed, status: settlement.statusAfter)
            settlements.append(settlement)
        }
        try write(db, settlements, stamp: stamp)
    }

    /// The columns settling reads of a dossier, by position: `importedColumns` (0–27), then these.
    private static let settlingColumns = importedColumns + ", portfolio, closed_reason, closed_at, solved_30d, upkeep_at, priority, segment"

    /// The batch's dossiers with whether each was worked and its last contact: two statements.
    private static func settlingDossiers(_ db: Database, _ idJSON: String) throws -> [String: SettlingDossier] {
        var found: [String: SettlingDossier] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT \(settlingColumns) FROM dossiers WHERE id IN (SELECT value FROM json_each(?))
            """), arguments: [idJSON])
        while let row = try rows.next() {
            var record = try importedDossier(from: row, portfolio: row[28])
            record.closedAt = row[30]
            record.segment = row[34]
            found[record.id] = SettlingDossier(record: record, closedReason: row[29], solved30d: row[31], upkeepAt: row[32],
                                               priority: row[33], worked: false, lastContact: nil)
        }
        let facts = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT j.value,
                EXISTS (SELECT 1 FROM events e WHERE e.dossier_id = j.value AND e.kind IN ('call', 'note')),
                (SELECT MAX(e.client_time) FROM events e WHERE e.dossier_id = j.value AND e.kind = 'call')
            FROM json_each(?) j
            """), arguments: [idJSON])
        while let row = try facts.next() {
            let id: String = row[0]
            found[id]?.worked = row[1]
            found[id]?.lastContact = (row[2] as String?).flatMap(Timestamp.parse)
        }
        return found
    }

    /// How the payments were credited when their dossiers were last settled.
    private static func storedCredits(_ db: Database, paymentIds: [String]) throws -> [String: [String: PaymentCredit]] {
        guard !paymentIds.isEmpty else { return [:] }
        var credits: [String: [String: PaymentCredit]] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT payment_id, promise_id, agent, amount FROM payment_credits WHERE payment_id IN (SELECT value FROM json_each(?))
            """), arguments: [try idList(paymentIds)])
        while let row = try rows.next() {
            let agent: String = row[2]
            credits[row[0], default: [:]][row[1]] = PaymentCredit(agent: agent.isEmpty ? nil : agent, amount: row[3])
        }
        return credits
    }
}
