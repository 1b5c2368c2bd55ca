import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// Upserts a checked file in one transaction. A re-imported reference keeps its id, history and
    /// assignment; its hub-owned fields take the file's values, and contact fields an agent already
    /// edited keep the agent's value. Only dossiers that really changed take a new sequence number,
    /// so an identical re-import costs agents nothing at their next sync.
    public func importDossiers(portfolio: String, rows: [DossierImportRow], now: Date,
                               progress: (@Sendable (Int) -> Void)?) async throws -> ImportSummary {
        try await pool.write { db in
            let stamp = Timestamp.string(from: now)
            try db.execute(sql: "INSERT INTO portfolios (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                           arguments: [portfolio, stamp])
            var existing: [String: DossierRecord] = [:]
            for row in try Row.fetchAll(db, sql: Self.dossierSelect + " WHERE d.portfolio = ?", arguments: [portfolio]) {
                let record = Self.dossier(from: row)
                existing[record.reference] = record
            }
            var summary = ImportSummary(created: 0, updated: 0, unchanged: 0)
            var inserts: [DossierImportRow] = []
            var updates: [DossierRecord] = []
            for row in rows {
                if let old = existing[row.reference] {
                    let new = Self.merged(old, with: row)
                    if new == old { summary.unchanged += 1 } else { updates.append(new) }
                } else {
                    inserts.append(row)
                }
            }
            // One block of sequence numbers for the whole file instead of one round trip per row.
            var seq = try Self.nextSeq(db, count: Int64(max(1, inserts.count + updates.count)))
            let firstSeq = seq
            var done = 0
            for record in updates {
                try Self.update(db, record, seq: seq, now: stamp)
                if let old = existing[record.reference], old.amountDue != record.amountDue || old.currency != record.currency,
                   let day = Self.agencyDay(old.placedAt) {
                    try Self.addMetrics(db, MetricKey(day: day, agent: nil, portfolio: portfolio, currency: old.currency), [.placedAmount: -old.amountDue, .placed: -1])
                    try Self.addMetrics(db, MetricKey(day: day, agent: nil, portfolio: portfolio, currency: record.currency), [.placedAmount: record.amountDue, .placed: 1])
                }
                // A new claim amount can reopen a paid dossier, or pay off an open one.
                if record.balance != existing[record.reference]?.balance { try Self.settle(db, dossierId: record.id, now: now) }
                seq += 1
                done += 1
                if done % 1000 == 0 { progress?(done) }
            }
            for row in inserts {
                try Self.insert(db, row, portfolio: portfolio, seq: seq, now: stamp)
                seq += 1
                done += 1
                if done % 1000 == 0 { progress?(done) }
            }
            // Every new dossier is placed today: one rollup change per currency, not one per row.
            var placed: [String: (count: Int64, amount: Int64)] = [:]
            for row in inserts { placed[row.currency, default: (0, 0)].count += 1; placed[row.currency, default: (0, 0)].amount += row.amountDue }
            for (currency, total) in placed {
                try Self.addMetrics(db, MetricKey(day: AgencyCalendar.day(of: now), agent: nil, portfolio: portfolio, currency: currency),
                                    [.placed: total.count, .placedAmount: total.amount])
            }
            summary.updated = updates.count
            summary.created = inserts.count
            try Self.rankImported(db, portfolio: portfolio, since: firstSeq, now: now)
            progress?(rows.count)
            return summary
        }
    }

    /// Segment and priority of the dossiers this import created or changed, so hand-out takes the
    /// most urgent first from the start.
    static func rankImported(_ db: Database, portfolio: String, since seq: Int64, now: Date) throws {
        let today = AgencyCalendar.day(of: now)
        let statement = try db.cachedStatement(sql: "UPDATE dossiers SET segment = ?, priority = ? WHERE id = ?")
        for row in try Row.fetchAll(db, sql: Self.dossierSelect + " WHERE d.portfolio = ? AND d.last_seq >= ?", arguments: [portfolio, seq]) {
            let dossier = Self.dossier(from: row)
            let segment = Segment.of(vip: dossier.vip, customerSince: dossier.customerSince, priorIncidents: dossier.priorIncidents,
                                     amountDue: dossier.amountDue, today: today)
            let priority = Priority.score(Priority.Input.from(dossier: dossier, lastContact: nil, now: now), now: now).value
            try statement.execute(arguments: [segment.rawValue, priority, dossier.id])
        }
    }

    static func merged(_ old: DossierRecord, with row: DossierImportRow) -> DossierRecord {
        var new = old
        new.debtorName = row.debtorName
        new.debtorType = row.debtorType
        new.balance = old.balance + (row.amountDue - old.amountDue)
        new.amountDue = row.amountDue
        new.currency = row.currency
        new.dueDate = row.dueDate
        if old.fieldClocks["phone"] == nil { new.phone = row.phone }
        if old.fieldClocks["email"] == nil { new.email = row.email }
        if old.fieldClocks["address"] == nil { new.address = row.address }
        new.phone2 = row.phone2
        new.postcode = row.postcode
        new.city = row.city
        new.country = row.country
        new.timezone = row.timezone
        new.language = row.language
        new.customerSince = row.customerSince
        new.priorIncidents = row.priorIncidents
        new.vip = row.vip
        new.invoiceRefs = row.invoiceRefs
        new.letterRef = row.letterRef
        new.letterDate = row.letterDate
        new.notes = row.notes
        return new
    }

    static func insert(_ db: Database, _ row: DossierImportRow, portfolio: String, seq: Int64, now: String) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO dossiers (id, portfolio, reference, debtor_name, debtor_type, amount_due, balance, currency, due_date,
                phone, phone2, email, address, postcode, city, country, timezone, language, customer_since, prior_incidents,
                vip, invoice_refs, letter_ref, letter_date, notes, last_seq, placed_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let values: [(any DatabaseValueConvertible)?] = [
            UUID().uuidString.lowercased(), portfolio, row.reference, row.debtorName, row.debtorType, row.amountDue,
            row.amountDue, row.currency, row.dueDate, row.phone, row.phone2, row.email, row.address, row.postcode,
            row.city, row.country, row.timezone, row.language, row.customerSince, row.priorIncidents, row.vip,
            row.invoiceRefs, row.letterRef, row.letterDate, row.notes, seq, now, now,
        ]
        try statement.execute(arguments: StatementArguments(values))
    }

    static func update(_ db: Database, _ d: DossierRecord, seq: Int64, now: String) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE dossiers SET debtor_name = ?, debtor_type = ?, amount_due = ?, balance = ?, currency = ?, due_date = ?,
                phone = ?, phone2 = ?, email = ?, address = ?, postcode = ?, city = ?, country = ?, timezone = ?, language = ?,
                customer_since = ?, prior_incidents = ?, vip = ?, invoice_refs = ?, letter_ref = ?, letter_date = ?, notes = ?,
                last_seq = ?, updated_at = ?
            WHERE id = ?
            """)
        let values: [(any DatabaseValueConvertible)?] = [
            d.debtorName, d.debtorType, d.amountDue, d.balance, d.currency, d.dueDate, d.phone, d.phone2, d.email,
            d.address, d.postcode, d.city, d.country, d.timezone, d.language, d.customerSince, d.priorIncidents, d.vip,
            d.invoiceRefs, d.letterRef, d.letterDate, d.notes, seq, now, d.id,
        ]
        try statement.execute(arguments: StatementArguments(values))
    }
}
