import GRDB

extension SQLiteHubStore {
    /// Shipped migrations are never edited; add new ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: """
                CREATE TABLE hub_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                INSERT INTO hub_sequence (id, value) VALUES (1, 0);

                CREATE TABLE agents (
                    id INTEGER PRIMARY KEY,
                    login TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    team TEXT,
                    languages TEXT NOT NULL,
                    portfolios TEXT NOT NULL,
                    capacity INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'active',
                    created_at TEXT NOT NULL
                );
                CREATE TABLE devices (
                    id TEXT PRIMARY KEY,
                    agent_id INTEGER NOT NULL REFERENCES agents(id),
                    name TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL DEFAULT 'active',
                    created_at TEXT NOT NULL,
                    last_sync_at TEXT,
                    queued_ops INTEGER,
                    oldest_queued_at TEXT
                );
                CREATE INDEX devices_agent ON devices(agent_id);
                CREATE TABLE enrollments (
                    secret_hash TEXT PRIMARY KEY,
                    agent_id INTEGER NOT NULL REFERENCES agents(id),
                    created_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL,
                    used_at TEXT,
                    device_id TEXT
                );
                CREATE TABLE portfolios (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
                CREATE TABLE dossiers (
                    id TEXT PRIMARY KEY,
                    portfolio TEXT NOT NULL REFERENCES portfolios(name),
                    reference TEXT NOT NULL,
                    debtor_name TEXT NOT NULL,
                    debtor_type TEXT NOT NULL,
                    amount_due INTEGER NOT NULL,
                    balance INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    phone TEXT, phone2 TEXT, email TEXT, address TEXT,
                    postcode TEXT, city TEXT, country TEXT,
                    timezone TEXT NOT NULL,
                    language TEXT NOT NULL,
                    customer_since TEXT,
                    prior_incidents INTEGER NOT NULL DEFAULT 0,
                    vip INTEGER NOT NULL DEFAULT 0,
                    invoice_refs TEXT, letter_ref TEXT, letter_date TEXT, notes TEXT,
                    status TEXT NOT NULL DEFAULT 'new',
                    next_callback TEXT,
                    field_clocks TEXT NOT NULL DEFAULT '{}',
                    assigned_agent_id INTEGER REFERENCES agents(id),
                    assigned_seq INTEGER,
                    last_seq INTEGER NOT NULL,
                    placed_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    UNIQUE (portfolio, reference)
                );
                CREATE INDEX dossiers_scope ON dossiers(assigned_agent_id, last_seq);
                CREATE INDEX dossiers_reference ON dossiers(reference);
                CREATE TABLE events (
                    id TEXT PRIMARY KEY,
                    dossier_id TEXT NOT NULL REFERENCES dossiers(id),
                    seq INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    agent TEXT,
                    device_id TEXT,
                    client_time TEXT,
                    hub_time TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    flag TEXT
                );
                CREATE INDEX events_dossier ON events(dossier_id, seq);
                CREATE TABLE applied_ops (
                    op_id TEXT PRIMARY KEY,
                    device_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    code TEXT,
                    reason TEXT,
                    applied_at TEXT NOT NULL
                );
                CREATE TABLE scope_exits (
                    agent_id INTEGER NOT NULL REFERENCES agents(id),
                    dossier_id TEXT NOT NULL REFERENCES dossiers(id),
                    seq INTEGER NOT NULL
                );
                CREATE INDEX scope_exits_agent ON scope_exits(agent_id, seq);
                CREATE INDEX scope_exits_dossier ON scope_exits(dossier_id, agent_id);
                """)
        }
        migrator.registerMigration("v2-collections") { db in
            try db.execute(sql: """
                ALTER TABLE portfolios ADD COLUMN grace_days INTEGER NOT NULL DEFAULT 3;
                ALTER TABLE portfolios ADD COLUMN plan_missed_limit INTEGER NOT NULL DEFAULT 2;
                ALTER TABLE portfolios ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 30;
                ALTER TABLE portfolios ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE scripts (
                    portfolio TEXT NOT NULL REFERENCES portfolios(name),
                    situation TEXT NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (portfolio, situation)
                );
                ALTER TABLE dossiers ADD COLUMN closed_at TEXT;
                ALTER TABLE dossiers ADD COLUMN closed_reason TEXT;
                CREATE TABLE promises (
                    id TEXT PRIMARY KEY,
                    dossier_id TEXT NOT NULL REFERENCES dossiers(id),
                    plan_id TEXT,
                    instalment INTEGER,
                    amount INTEGER NOT NULL,
                    paid INTEGER NOT NULL DEFAULT 0,
                    due_date TEXT NOT NULL,
                    grace_days INTEGER NOT NULL,
                    state TEXT NOT NULL DEFAULT 'active',
                    agent TEXT,
                    created_at TEXT NOT NULL,
                    settled_at TEXT
                );
                CREATE INDEX promises_dossier ON promises(dossier_id);
                CREATE INDEX promises_open ON promises(state, due_date);
                CREATE TABLE plans (
                    id TEXT PRIMARY KEY,
                    dossier_id TEXT NOT NULL REFERENCES dossiers(id),
                    instalments INTEGER NOT NULL,
                    amount INTEGER NOT NULL,
                    first_date TEXT NOT NULL,
                    every TEXT NOT NULL,
                    state TEXT NOT NULL,
                    missed_limit INTEGER NOT NULL,
                    agent TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX plans_dossier ON plans(dossier_id);
                CREATE TABLE disputes (
                    id TEXT PRIMARY KEY,
                    dossier_id TEXT NOT NULL REFERENCES dossiers(id),
                    reason TEXT NOT NULL,
                    note TEXT,
                    state TEXT NOT NULL DEFAULT 'open',
                    agent TEXT,
                    opened_at TEXT NOT NULL,
                    resolved_at TEXT,
                    adjusted_amount INTEGER
                );
                CREATE INDEX disputes_dossier ON disputes(dossier_id);
                CREATE TABLE payments (
                    id TEXT PRIMARY KEY,
                    dossier_id TEXT NOT NULL REFERENCES dossiers(id),
                    amount INTEGER NOT NULL,
                    paid_on TEXT NOT NULL,
                    imported_at TEXT NOT NULL
                );
                CREATE INDEX payments_dossier ON payments(dossier_id);
                """)
        }
        migrator.registerMigration("v3-distribution") { db in
            try db.execute(sql: """
                ALTER TABLE portfolios ADD COLUMN calling_window TEXT NOT NULL DEFAULT 'mon-fri 08:00-20:00, sat 09:00-13:00';
                ALTER TABLE portfolios ADD COLUMN max_attempts_7d INTEGER NOT NULL DEFAULT 3;
                ALTER TABLE portfolios ADD COLUMN rest_after_contact INTEGER NOT NULL DEFAULT 172800;
                ALTER TABLE portfolios ADD COLUMN lease_seconds INTEGER NOT NULL DEFAULT 259200;
                ALTER TABLE dossiers ADD COLUMN segment TEXT NOT NULL DEFAULT 'standard';
                ALTER TABLE dossiers ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE dossiers ADD COLUMN assigned_at TEXT;
                ALTER TABLE dossiers ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX dossiers_pool ON dossiers(portfolio, priority) WHERE assigned_agent_id IS NULL;
                """)
        }
        migrator.registerMigration("v4-compliance") { db in
            try db.execute(sql: """
                ALTER TABLE events ADD COLUMN compliance TEXT;
                CREATE INDEX events_compliance ON events(hub_time) WHERE compliance IS NOT NULL;
                """)
        }
        migrator.registerMigration("v5-reporting") { db in
            // Rollups: one row per day, agent, team, portfolio and currency. `agent` is '' for figures
            // of no agent (placements, payments that kept no promise) and for agents' rows folded
            // into their team after the retention period.
            try db.execute(sql: """
                CREATE TABLE metrics_daily (
                    day TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    team TEXT NOT NULL,
                    portfolio TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    contacts INTEGER NOT NULL DEFAULT 0,
                    right_party INTEGER NOT NULL DEFAULT 0,
                    promises_made INTEGER NOT NULL DEFAULT 0,
                    promised_amount INTEGER NOT NULL DEFAULT 0,
                    promises_due INTEGER NOT NULL DEFAULT 0,
                    promises_kept INTEGER NOT NULL DEFAULT 0,
                    promises_partly INTEGER NOT NULL DEFAULT 0,
                    promises_broken INTEGER NOT NULL DEFAULT 0,
                    due_amount INTEGER NOT NULL DEFAULT 0,
                    due_paid INTEGER NOT NULL DEFAULT 0,
                    collected INTEGER NOT NULL DEFAULT 0,
                    talk_seconds INTEGER NOT NULL DEFAULT 0,
                    wrap_seconds INTEGER NOT NULL DEFAULT 0,
                    disputes INTEGER NOT NULL DEFAULT 0,
                    placed INTEGER NOT NULL DEFAULT 0,
                    placed_amount INTEGER NOT NULL DEFAULT 0,
                    solved_30d INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (day, agent, team, portfolio, currency)
                );
                CREATE INDEX metrics_daily_agent ON metrics_daily(agent, day);
                CREATE INDEX metrics_daily_portfolio ON metrics_daily(portfolio, day);
                CREATE TABLE metrics_disputes (
                    day TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    team TEXT NOT NULL,
                    portfolio TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    opened INTEGER NOT NULL DEFAULT 0,
                    upheld INTEGER NOT NULL DEFAULT 0,
                    rejected INTEGER NOT NULL DEFAULT 0,
                    adjusted INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (day, agent, team, portfolio, reason)
                );
                -- How each payment was credited when its dossier was last settled ('' = kept no promise).
                CREATE TABLE payment_credits (
                    payment_id TEXT NOT NULL REFERENCES payments(id),
                    promise_id TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    amount INTEGER NOT NULL,
                    PRIMARY KEY (payment_id, promise_id)
                );
                ALTER TABLE dossiers ADD COLUMN solved_30d INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE agents ADD COLUMN password_hash TEXT;
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY,
                    agent_id INTEGER NOT NULL REFERENCES agents(id),
                    created_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL
                );
                CREATE INDEX sessions_agent ON sessions(agent_id);
                """)
        }
        migrator.registerMigration("v6-device-lifetime") { db in
            // A retired device may hand in only what it recorded before `retired_at`; once told to wipe
            // with nothing left to send (`wiped_at`), its token is refused.
            try db.execute(sql: """
                ALTER TABLE devices ADD COLUMN retired_at TEXT;
                ALTER TABLE devices ADD COLUMN wiped_at TEXT;
                UPDATE devices SET retired_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'retired';
                -- Op ids are now lower-cased where they enter; ids stored before keep matching re-sends.
                UPDATE applied_ops SET op_id = lower(op_id) WHERE op_id != lower(op_id);
                """)
        }
        registerSyncCostMigration(&migrator)
        registerImportReportMigrations(&migrator)
        return migrator
    }
}
