import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    static func loadWork(_ db: Database, dossierId: String) throws -> DossierWork {
        try loadWork(db, dossierIds: [dossierId])[dossierId] ?? DossierWork()
    }

    /// The settled work of several dossiers: four statements whatever their number (a pull page, a
    /// settlement batch). Read by position: by name, GRDB lower-cases every column name of every row.
    static func loadWork(_ db: Database, dossierIds: [String]) throws -> [String: DossierWork] {
        guard !dossierIds.isEmpty else { return [:] }
        let ids = try idList(dossierIds)
        var work: [String: DossierWork] = [:]
        let promises = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT dossier_id, id, amount, paid, due_date, grace_days, state, plan_id, instalment, agent, created_at, settled_at
            FROM promises WHERE dossier_id IN (SELECT value FROM json_each(?)) ORDER BY dossier_id, due_date, created_at, id
            """), arguments: [ids])
        while let row = try promises.next() {
            work[row[0], default: DossierWork()].promises.append(PromiseRecord(
                id: row[1], amount: row[2], paid: row[3], due: row[4], graceDays: row[5],
                state: PromiseState(rawValue: row[6]) ?? .active, planId: row[7], instalment: row[8],
                agent: row[9], createdAt: row[10], settledAt: row[11]))
        }
        let plans = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT dossier_id, id, instalments, amount, first_date, every, state, missed_limit, agent, created_at
            FROM plans WHERE dossier_id IN (SELECT value FROM json_each(?)) ORDER BY dossier_id, created_at, id
            """), arguments: [ids])
        while let row = try plans.next() {
            work[row[0], default: DossierWork()].plans.append(PlanRecord(
                id: row[1], instalments: row[2], amount: row[3], first: row[4], every: row[5],
                state: PlanState(rawValue: row[6]) ?? .onTrack, missedLimit: row[7], agent: row[8], createdAt: row[9]))
        }
        let disputes = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT dossier_id, id, reason, note, state, agent, opened_at, resolved_at, adjusted_amount
            FROM disputes WHERE dossier_id IN (SELECT value FROM json_each(?)) ORDER BY dossier_id, opened_at, id
            """), arguments: [ids])
        while let row = try disputes.next() {
            work[row[0], default: DossierWork()].disputes.append(DisputeRecord(
                id: row[1], reason: DisputeReason(rawValue: row[2]) ?? .other, note: row[3],
                state: DisputeState(rawValue: row[4]) ?? .open, agent: row[5], openedAt: row[6],
                resolvedAt: row[7], adjustedAmount: row[8]))
        }
        let payments = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT dossier_id, id, amount, paid_on, imported_at
            FROM payments WHERE dossier_id IN (SELECT value FROM json_each(?)) ORDER BY dossier_id, paid_on, id
            """), arguments: [ids])
        while let row = try payments.next() {
            work[row[0], default: DossierWork()].payments.append(PaymentRecord(
                id: row[1], amount: row[2], paidOn: row[3], importedAt: row[4]))
        }
        return work
    }

    /// The dossier as clients see it: its row plus its settled work.
    static func fullDossier(_ db: Database, _ row: Row) throws -> DossierRecord {
        var dossier = dossier(from: row)
        dossier.work = try loadWork(db, dossierId: dossier.id)
        return dossier
    }

    /// Settles one dossier: the batched settlement (`settle(_:dossierIds:now:)`) of a batch of one.
    /// Idempotent: re-importing a payment or settling twice changes nothing. Every change is written,
    /// takes a sequence number and leaves an event, so agents see the hub's decision. It reads the
    /// dossier and its own work only. Returns whether a promise, a plan or the status moved.
    @discardableResult
    static func settle(_ db: Database, dossierId: String, now: Date) throws -> Bool {
        try settle(db, dossierIds: [dossierId], now: now)[dossierId]?.changed ?? false
    }

    /// Keeps `upkeep_at` (see `Upkeep`) in step with the settled work, written only when it moves.
    static func refreshUpkeep(_ db: Database, dossierId: String, row: Row, work: DossierWork, closedAt: String?) throws {
        // The retention period matters only once the dossier is closed.
        let retention = closedAt == nil ? 0 : try Int.fetchOne(db.cachedStatement(sql: "SELECT retention_days FROM portfolios WHERE name = ?"),
                                                                arguments: [row["portfolio"] as String]) ?? 30
        let due = Upkeep.dueAt(activePromises: work.activePromises.map { ($0.due, $0.graceDays) }, closedAt: closedAt, retentionDays: retention)
        let upkeep = due.map(Timestamp.string(from:))
        guard upkeep != (row["upkeep_at"] as String?) else { return }
        try db.cachedStatement(sql: "UPDATE dossiers SET upkeep_at = ? WHERE id = ?").execute(arguments: [upkeep, dossierId])
    }
}
