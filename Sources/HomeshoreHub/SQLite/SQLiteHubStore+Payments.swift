import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    public func importPayments(_ rows: [PaymentImportRow], now: Date,
                               progress: (@Sendable (PaymentImportProgress) -> Void)?) async throws -> PaymentImportSummary {
        try await pool.write { db in try Self.withImportCache(db) { try Self.importPayments(db, rows, now: now, progress: progress) } }
    }

    static func importPayments(_ db: Database, _ rows: [PaymentImportRow], now: Date,
                               progress: (@Sendable (PaymentImportProgress) -> Void)? = nil) throws -> PaymentImportSummary {
        var problems: [ImportProblem] = []
        var resolved: [ResolvedPayment] = []
        var occurrences: [String: Int] = [:]
        // Status before the file, of each dossier it pays into: recording payments leaves it as it is
        // until the dossier is settled below.
        var statusBefore: [String: String] = [:]
        var references: [String] = []
        var named: Set<String> = []
        for row in rows where named.insert(row.reference).inserted { references.append(row.reference) }
        let dossiers = try Self.paidDossiers(db, references: references)
        for row in rows {
            let key = DossierKey(portfolio: row.portfolio, reference: row.reference)
            let dossier: PaidDossier?
            do {
                dossier = try Self.paidDossier(key, among: dossiers[row.reference] ?? [])
            } catch let error as HomeshoreError {
                problems.append(ImportProblem(line: row.line, column: "reference", message: error.message))
                continue
            }
            guard let dossier else {
                problems.append(ImportProblem(line: row.line, column: "reference", message: "no dossier has the reference \(key)"))
                continue
            }
            if let given = row.currency, given != dossier.currency {
                problems.append(ImportProblem(line: row.line, column: "currency", message: "the payment is in \(given) but dossier \(row.reference) is in \(dossier.currency)"))
                continue
            }
            guard let amount = ImportAmount.parse(row.amountText, currency: dossier.currency), amount > 0 else {
                problems.append(ImportProblem(line: row.line, column: "amount", message: "\"\(row.amountText)\" is not an amount in \(dossier.currency)"))
                continue
            }
            // Without a payment_id, the same reference, amount and day is the same payment,
            // counted per occurrence so that two equal lines in one file stay two payments.
            let natural = "\(dossier.id)|\(amount)|\(row.paidOn)"
            occurrences[natural, default: 0] += 1
            let id = row.paymentId.map { "id:" + $0 } ?? "auto:" + Secrets.hash(natural + "|\(occurrences[natural] ?? 1)")
            resolved.append(ResolvedPayment(row: row, dossierId: dossier.id, amount: amount, id: id))
            statusBefore[dossier.id] = dossier.status
        }
        guard problems.isEmpty else { throw ImportFailure(problems: problems) }

        var summary = PaymentImportSummary(recorded: 0, duplicates: 0, amount: 0, closed: 0)
        // Recorded by dossier (file order within each): the rows and index entries each batch touches
        // are then neighbours. A dossier's payments keep their order, so its events do.
        let byDossier = resolved.indices.sorted { (resolved[$0].dossierId, $0) < (resolved[$1].dossierId, $1) }
        let recordedByDossier = try Self.record(db, byDossier.map { resolved[$0] }, now: now) { done in
            progress?(.recorded(done, of: resolved.count))
        }
        var recorded = [Bool](repeating: false, count: resolved.count)
        for (position, index) in byDossier.enumerated() { recorded[index] = recordedByDossier[position] }
        // In file order, each once.
        var touched: [String] = []
        var seen: Set<String> = []
        for (payment, isNew) in zip(resolved, recorded) {
            guard isNew else { summary.duplicates += 1; continue }
            summary.recorded += 1
            summary.amount += payment.amount
            if seen.insert(payment.dossierId).inserted { touched.append(payment.dossierId) }
        }
        // Every payment of the file is recorded before any dossier is settled: settling on part of
        // the file would break a promise that a later line keeps.
        let settled = try Self.settle(db, dossierIds: touched, now: now) { done in progress?(.settled(done, of: touched.count)) }
        let paid = DossierStatus.paid.rawValue
        for dossierId in touched where settled[dossierId]?.status == paid && statusBefore[dossierId] != paid { summary.closed += 1 }
        return summary
    }

    public func settleDue(now: Date) async throws -> Int {
        let today = AgencyCalendar.day(of: now)
        return try await pool.write { db in
            let candidates = try String.fetchAll(db, sql: "SELECT DISTINCT dossier_id FROM promises WHERE state = 'active' AND due_date < ?", arguments: [today])
            return try Self.settle(db, dossierIds: candidates, now: now).values.filter(\.changed).count
        }
    }

    public func resolveDispute(_ key: DossierKey, outcome: DisputeState, amount: String?, now: Date) async throws -> DossierRecord {
        try await pool.write { db in
            guard let row = try Self.resolve(db, key) else { throw HomeshoreError("unknown_dossier", "No dossier has the reference \(key).") }
            let dossierId: String = row["id"]
            let currency: String = row["currency"]
            guard let disputeId = try String.fetchOne(db, sql: "SELECT id FROM disputes WHERE dossier_id = ? AND state = 'open'", arguments: [dossierId]) else {
                throw HomeshoreError("no_open_dispute", "The dossier \(key) has no open dispute.")
            }
            var newBalance: Int64?
            if let amount {
                guard let value = Money.parse(amount, currency: currency) else {
                    throw HomeshoreError("invalid_amount", "\"\(amount)\" is not an amount in \(currency) (write 1234.50).")
                }
                guard value < row["balance"] as Int64 else {
                    throw HomeshoreError("invalid_amount", "The new balance \(amount) must be lower than the current \(Money.format(row["balance"], currency: currency)) \(currency).")
                }
                newBalance = value
            }
            switch outcome {
            case .adjusted where newBalance == nil:
                throw HomeshoreError("missing_amount", "An adjusted dispute needs the new balance (--amount).")
            case .rejected where newBalance != nil:
                throw HomeshoreError("unexpected_amount", "A rejected dispute leaves the claim as it is; drop --amount.")
            case .open:
                throw HomeshoreError("invalid_outcome", "A dispute is resolved as upheld, rejected or adjusted.")
            default:
                break
            }
            let stamp = Timestamp.string(from: now)
            try db.execute(sql: "UPDATE disputes SET state = ?, resolved_at = ?, adjusted_amount = ? WHERE id = ?",
                           arguments: [outcome.rawValue, stamp, newBalance, disputeId])
            if let dispute = try Row.fetchOne(db, sql: "SELECT reason, agent FROM disputes WHERE id = ?", arguments: [disputeId]) {
                try Self.addDisputeMetric(db, day: AgencyCalendar.day(of: now), agent: dispute["agent"], portfolio: row["portfolio"],
                                          reason: dispute["reason"], column: outcome.rawValue)
            }
            if let newBalance {
                let reduction = (row["balance"] as Int64) - newBalance
                try db.execute(sql: "UPDATE dossiers SET balance = ?, amount_due = amount_due - ? WHERE id = ?",
                               arguments: [newBalance, reduction, dossierId])
                // What was placed is what the creditor now claims.
                if let day = Self.agencyDay(row["placed_at"]) {
                    try Self.addMetrics(db, MetricKey(day: day, agent: nil, portfolio: row["portfolio"], currency: currency), [.placedAmount: -reduction])
                }
            } else if outcome == .upheld {
                // The creditor was wrong: the claim is closed and nothing more is chased.
                try db.execute(sql: "UPDATE dossiers SET closed_reason = 'dispute-upheld' WHERE id = ?", arguments: [dossierId])
                try db.execute(sql: "UPDATE promises SET state = 'cancelled', settled_at = ? WHERE dossier_id = ? AND state = 'active'",
                               arguments: [stamp, dossierId])
                try db.execute(sql: "UPDATE plans SET state = 'cancelled' WHERE dossier_id = ? AND state IN ('on-track', 'late')", arguments: [dossierId])
            }
            let text = "dispute \(outcome.rawValue)" + (newBalance.map { ", balance now \(Money.format($0, currency: currency)) \(currency)" } ?? "")
            _ = try Self.insertEvent(db, id: UUID().uuidString.lowercased(), dossierId: dossierId, kind: "dispute-resolved", agent: nil,
                                     deviceId: nil, clientTime: nil, payload: OpPayload(text: text, amount: newBalance, reason: outcome.rawValue),
                                     flag: nil, now: now)
            try Self.settle(db, dossierId: dossierId, now: now)
            guard let updated = try Self.resolve(db, key) else { throw HomeshoreError("store_corrupt", "The dossier vanished.") }
            return try Self.fullDossier(db, updated)
        }
    }
}
