import GRDB
import HomeshoreCore

/// The full-text index of the dossiers held (`homeshore search`). Each dossier's entry has the
/// dossier's own rowid as its FTS rowid, so replacing or removing it is a direct lookup; the
/// v1 table found it by `dossier_id`, an unindexed FTS column, which scanned the whole index for
/// every dossier pulled and made a first sync quadratic (issue 10).
extension Replica {
    /// Part of the "v4-work-list" migration: the same table, its entries keyed by the dossiers' rowids.
    static func reindexSearch(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE dossier_search RENAME TO dossier_search_v1;
            CREATE VIRTUAL TABLE dossier_search USING fts5(
                dossier_id UNINDEXED, reference, debtor_name, phones, email, city,
                tokenize = 'unicode61 remove_diacritics 2'
            );
            INSERT INTO dossier_search (rowid, dossier_id, reference, debtor_name, phones, email, city)
                SELECT d.rowid, s.dossier_id, s.reference, s.debtor_name, s.phones, s.email, s.city
                FROM dossier_search_v1 s JOIN dossiers d ON d.id = s.dossier_id;
            DROP TABLE dossier_search_v1;
            """)
    }

    /// Stores a dossier (as `text` when given: the hub's own JSON of it) and its search entry,
    /// replacing what was there.
    static func upsert(_ db: Database, _ d: DossierRecord, text: String? = nil) throws {
        try unindexSearch(db, dossierId: d.id)
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO dossiers (id, portfolio, reference, debtor_name, status, balance, currency, city, next_callback, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [d.id, d.portfolio, d.reference, d.debtorName, d.status, d.balance, d.currency, d.city, d.nextCallback, try text ?? json(d)])
        let rowid = db.lastInsertedRowID
        let phones = [d.phone, d.phone2].compactMap { $0 }.flatMap(SearchText.phoneForms).joined(separator: " ")
        try db.cachedStatement(sql: "INSERT INTO dossier_search (rowid, dossier_id, reference, debtor_name, phones, email, city) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [rowid, d.id, d.reference, d.debtorName, phones, d.email, d.city])
    }

    /// Removes a held dossier's search entry (before the dossier row itself changes or goes).
    static func unindexSearch(_ db: Database, dossierId: String) throws {
        guard let rowid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rowid FROM dossiers WHERE id = ?"), arguments: [dossierId]) else { return }
        try db.cachedStatement(sql: "DELETE FROM dossier_search WHERE rowid = ?").execute(arguments: [rowid])
    }
}
