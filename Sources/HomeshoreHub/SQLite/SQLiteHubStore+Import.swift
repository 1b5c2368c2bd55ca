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
            try Self.withImportCache(db) { try Self.importDossiers(db, portfolio: portfolio, rows: rows, now: now, progress: progress) }
        }
    }

    static func importDossiers(_ db: Database, portfolio: String, rows: [DossierImportRow], now: Date,
                               progress: (@Sendable (Int) -> Void)?) throws -> ImportSummary {
        let stamp = Timestamp.string(from: now)
        let today = AgencyCalendar.day(of: now)
        try db.execute(sql: "INSERT INTO portfolios (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                       arguments: [portfolio, stamp])
        let existing = try Self.importedDossiers(db, portfolio: portfolio)
        var summary = ImportSummary(created: 0, updated: 0, unchanged: 0)
        var inserts: [DossierImportRow] = []
        var updates: [(old: DossierRecord, new: DossierRecord)] = []
        for row in rows {
            if let old = existing[row.reference] {
                let new = Self.merged(old, with: row)
                if new == old { summary.unchanged += 1 } else { updates.append((old, new)) }
            } else {
                inserts.append(row)
            }
        }
        // One block of sequence numbers for the whole file instead of one round trip per row; none
        // when nothing changed, so an identical file writes nothing.
        let changes = inserts.count + updates.count
        var seq = changes == 0 ? 0 : try Self.nextSeq(db, count: Int64(changes))
        var done = 0
        var reclaimed: [String] = []
        for (old, new) in updates {
            // Segment and priority are written with the row, so hand-out takes the most urgent first
            // from the start, without reading the dossiers back.
            let rank = Self.rank(new, today: today, now: now)
            try Self.update(db, new, segment: rank.segment, priority: rank.priority, seq: seq, now: stamp)
            if old.amountDue != new.amountDue || old.currency != new.currency, let day = Self.agencyDay(old.placedAt) {
                try Self.addMetrics(db, MetricKey(day: day, agent: nil, portfolio: portfolio, currency: old.currency), [.placedAmount: -old.amountDue, .placed: -1])
                try Self.addMetrics(db, MetricKey(day: day, agent: nil, portfolio: portfolio, currency: new.currency), [.placedAmount: new.amountDue, .placed: 1])
            }
            // A new claim amount can reopen a paid dossier, or pay off an open one; settling also
            // ranks it again with its promises, which the import alone does not read.
            if new.balance != old.balance { reclaimed.append(new.id) }
            seq += 1
            done += 1
            if done % 1000 == 0 { progress?(done) }
        }
        // Settled together once their rows are written: a dozen statements per thousand dossiers.
        try Self.settle(db, dossierIds: reclaimed, now: now)
        var ids = RandomRowId()
        var ranking = NewDossierRanking(now: now)
        for row in inserts {
            try Self.insert(db, row, id: ids.next(), rank: ranking.rank(row), portfolio: portfolio, seq: seq, stamp: stamp)
            seq += 1
            done += 1
            if done % 1000 == 0 { progress?(done) }
        }
        // Every new dossier is placed today: one rollup change per currency, not one per row.
        var placed: [String: (count: Int64, amount: Int64)] = [:]
        for row in inserts { placed[row.currency, default: (0, 0)].count += 1; placed[row.currency, default: (0, 0)].amount += row.amountDue }
        for (currency, total) in placed {
            try Self.addMetrics(db, MetricKey(day: today, agent: nil, portfolio: portfolio, currency: currency),
                                [.placed: total.count, .placedAmount: total.amount])
        }
        summary.updated = updates.count
        summary.created = inserts.count
        progress?(rows.count)
        return summary
    }

    /// Segment and hand-out priority of a dossier as the import leaves it (no contact yet counted:
    /// the import does not read the dossier's events or promises).
    static func rank(_ dossier: DossierRecord, today: String, now: Date) -> (segment: String, priority: Int) {
        let segment = Segment.of(vip: dossier.vip, customerSince: dossier.customerSince, priorIncidents: dossier.priorIncidents,
                                 amountDue: dossier.amountDue, today: today)
        let priority = Priority.score(Priority.Input.from(dossier: dossier, lastContact: nil, now: now), now: now).value
        return (segment.rawValue, priority)
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

    static func insert(_ db: Database, _ row: DossierImportRow, id: String, rank: (segment: String, priority: Int), portfolio: String,
                       seq: Int64, stamp: String) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO dossiers (id, portfolio, reference, debtor_name, debtor_type, amount_due, balance, currency, due_date,
                phone, phone2, email, address, postcode, city, country, timezone, language, customer_since, prior_incidents,
                vip, invoice_refs, letter_ref, letter_date, notes, last_seq, placed_at, updated_at, segment, priority)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let values: [(any DatabaseValueConvertible)?] = [
            id, portfolio, row.reference, row.debtorName, row.debtorType, row.amountDue,
            row.amountDue, row.currency, row.dueDate, row.phone, row.phone2, row.email, row.address, row.postcode,
            row.city, row.country, row.timezone, row.language, row.customerSince, row.priorIncidents, row.vip,
            row.invoiceRefs, row.letterRef, row.letterDate, row.notes, seq, stamp, stamp, rank.segment, rank.priority,
        ]
        try statement.execute(arguments: StatementArguments(values))
    }

    /// Writes the file's values over the hub-owned fields. The balance moves by the change of the claim
    /// and a contact field an agent edited (it has a field clock) keeps the agent's value, both decided
    /// in the statement from the row as it is then: a payment or an agent's edit merged by another hub
    /// process since the import read the dossier is not overwritten.
    static func update(_ db: Database, _ d: DossierRecord, segment: String, priority: Int, seq: Int64, now: String) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE dossiers SET debtor_name = ?, debtor_type = ?, balance = balance + (? - amount_due), amount_due = ?, currency = ?,
                due_date = ?,
                phone = CASE WHEN json_extract(field_clocks, '$.phone') IS NULL THEN ? ELSE phone END, phone2 = ?,
                email = CASE WHEN json_extract(field_clocks, '$.email') IS NULL THEN ? ELSE email END,
                address = CASE WHEN json_extract(field_clocks, '$.address') IS NULL THEN ? ELSE address END,
                postcode = ?, city = ?, country = ?, timezone = ?, language = ?,
                customer_since = ?, prior_incidents = ?, vip = ?, invoice_refs = ?, letter_ref = ?, letter_date = ?, notes = ?,
                segment = ?, priority = ?, last_seq = ?, updated_at = ?
            WHERE id = ?
            """)
        let values: [(any DatabaseValueConvertible)?] = [
            d.debtorName, d.debtorType, d.amountDue, d.amountDue, d.currency, d.dueDate, d.phone, d.phone2, d.email,
            d.address, d.postcode, d.city, d.country, d.timezone, d.language, d.customerSince, d.priorIncidents, d.vip,
            d.invoiceRefs, d.letterRef, d.letterDate, d.notes, segment, priority, seq, now, d.id,
        ]
        try statement.execute(arguments: StatementArguments(values))
    }
}
