import GRDB

extension Replica {
    /// Shipped migrations are never edited; add new ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-replica") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE dossiers (
                    id TEXT PRIMARY KEY,
                    portfolio TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    debtor_name TEXT NOT NULL,
                    status TEXT NOT NULL,
                    balance INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    city TEXT,
                    next_callback TEXT,
                    record TEXT NOT NULL
                );
                CREATE INDEX dossiers_reference ON dossiers(reference);
                CREATE TABLE events (
                    id TEXT PRIMARY KEY,
                    dossier_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    record TEXT NOT NULL
                );
                CREATE INDEX events_dossier ON events(dossier_id, seq);
                CREATE TABLE outbox (
                    device_seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    dossier_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    op TEXT NOT NULL
                );
                CREATE INDEX outbox_dossier ON outbox(dossier_id);
                CREATE TABLE rejected (
                    id TEXT PRIMARY KEY,
                    device_seq INTEGER NOT NULL,
                    reference TEXT,
                    kind TEXT NOT NULL,
                    code TEXT,
                    reason TEXT NOT NULL,
                    rejected_at TEXT NOT NULL,
                    op TEXT NOT NULL
                );
                CREATE VIRTUAL TABLE dossier_search USING fts5(
                    dossier_id UNINDEXED, reference, debtor_name, phones, email, city,
                    tokenize = 'unicode61 remove_diacritics 2'
                );
                """)
        }
        migrator.registerMigration("v2-portfolios") { db in
            try db.execute(sql: "CREATE TABLE portfolios (name TEXT PRIMARY KEY, record TEXT NOT NULL)")
        }
        migrator.registerMigration("v3-lookups") { db in
            try db.execute(sql: Self.lookupsSchema)
        }
        migrator.registerMigration("v4-work-list") { db in
            try Self.reindexSearch(db)
            try db.execute(sql: Self.workListSchema)
            try Self.rebuildWorkList(db)
        }
        migrator.registerMigration("v5-contact-holds") { db in
            try db.execute(sql: Self.contactHoldsSchema)
            try Self.rebuildWorkList(db)
        }
        migrator.registerMigration("v6-work-list-groups") { db in
            try db.execute(sql: Self.workListGroupsSchema)
        }
        return migrator
    }
}
