import Foundation
import GRDB

extension SQLiteHubStore {
    /// Schema of the imports and reports (issue 10), registered after every other migration.
    static func registerImportReportMigrations(_ migrator: inout DatabaseMigrator) {
        // A report over a year read a rollup row per agent and day (73,000 for 200 agents): summing
        // their 18 figures took longer than the report's 100 ms. Monthly rollups, derived from the
        // daily ones by triggers, let a period read its whole months from here and only its edge
        // days from metrics_daily (see `RollupPeriod`).
        migrator.registerMigration("v8-monthly-rollups") { db in
            try db.execute(sql: """
                -- One row per month, agent, team, portfolio and currency: the sum of that month's metrics_daily rows
                -- and how many there are (`days`), so a report reads a row per whole month and still knows whether
                -- any day of its period had figures.
                CREATE TABLE metrics_monthly (
                    month TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    team TEXT NOT NULL,
                    portfolio TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    days INTEGER NOT NULL DEFAULT 0,
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
                    PRIMARY KEY (month, agent, team, portfolio, currency)
                );
                CREATE INDEX metrics_monthly_agent ON metrics_monthly(agent, month);
                CREATE INDEX metrics_monthly_portfolio ON metrics_monthly(portfolio, month);
                INSERT INTO metrics_monthly (month, agent, team, portfolio, currency, days, attempts, contacts, right_party,
                    promises_made, promised_amount, promises_due, promises_kept, promises_partly, promises_broken, due_amount,
                    due_paid, collected, talk_seconds, wrap_seconds, disputes, placed, placed_amount, solved_30d)
                    SELECT substr(day, 1, 7), agent, team, portfolio, currency, COUNT(*), SUM(attempts), SUM(contacts),
                        SUM(right_party), SUM(promises_made), SUM(promised_amount), SUM(promises_due), SUM(promises_kept),
                        SUM(promises_partly), SUM(promises_broken), SUM(due_amount), SUM(due_paid), SUM(collected),
                        SUM(talk_seconds), SUM(wrap_seconds), SUM(disputes), SUM(placed), SUM(placed_amount), SUM(solved_30d)
                    FROM metrics_daily GROUP BY substr(day, 1, 7), agent, team, portfolio, currency;
                -- Kept by the database in the transaction that changes metrics_daily, whoever changes it (the
                -- merge, settlement, imports, folding into teams, a bulk loader).
                CREATE TRIGGER metrics_monthly_insert AFTER INSERT ON metrics_daily BEGIN
                    INSERT INTO metrics_monthly (month, agent, team, portfolio, currency, days, attempts, contacts, right_party,
                        promises_made, promised_amount, promises_due, promises_kept, promises_partly, promises_broken,
                        due_amount, due_paid, collected, talk_seconds, wrap_seconds, disputes, placed, placed_amount,
                        solved_30d)
                        VALUES (substr(NEW.day, 1, 7), NEW.agent, NEW.team, NEW.portfolio, NEW.currency, 1, NEW.attempts,
                            NEW.contacts, NEW.right_party, NEW.promises_made, NEW.promised_amount, NEW.promises_due,
                            NEW.promises_kept, NEW.promises_partly, NEW.promises_broken, NEW.due_amount, NEW.due_paid,
                            NEW.collected, NEW.talk_seconds, NEW.wrap_seconds, NEW.disputes, NEW.placed, NEW.placed_amount,
                            NEW.solved_30d)
                        ON CONFLICT (month, agent, team, portfolio, currency) DO UPDATE SET
                            days = days + 1, attempts = attempts + excluded.attempts, contacts = contacts + excluded.contacts,
                                right_party = right_party + excluded.right_party,
                                promises_made = promises_made + excluded.promises_made,
                                promised_amount = promised_amount + excluded.promised_amount,
                                promises_due = promises_due + excluded.promises_due,
                                promises_kept = promises_kept + excluded.promises_kept,
                                promises_partly = promises_partly + excluded.promises_partly,
                                promises_broken = promises_broken + excluded.promises_broken,
                                due_amount = due_amount + excluded.due_amount, due_paid = due_paid + excluded.due_paid,
                                collected = collected + excluded.collected, talk_seconds = talk_seconds + excluded.talk_seconds,
                                wrap_seconds = wrap_seconds + excluded.wrap_seconds, disputes = disputes + excluded.disputes,
                                placed = placed + excluded.placed, placed_amount = placed_amount + excluded.placed_amount,
                                solved_30d = solved_30d + excluded.solved_30d;
                END;
                -- The usual change: the figures of the same row move (an upsert adding to them).
                CREATE TRIGGER metrics_monthly_change AFTER UPDATE ON metrics_daily
                WHEN substr(NEW.day, 1, 7) = substr(OLD.day, 1, 7) AND NEW.agent = OLD.agent AND NEW.team = OLD.team AND NEW.portfolio = OLD.portfolio AND NEW.currency = OLD.currency BEGIN
                    UPDATE metrics_monthly SET attempts = attempts + NEW.attempts - OLD.attempts,
                        contacts = contacts + NEW.contacts - OLD.contacts,
                        right_party = right_party + NEW.right_party - OLD.right_party,
                        promises_made = promises_made + NEW.promises_made - OLD.promises_made,
                        promised_amount = promised_amount + NEW.promised_amount - OLD.promised_amount,
                        promises_due = promises_due + NEW.promises_due - OLD.promises_due,
                        promises_kept = promises_kept + NEW.promises_kept - OLD.promises_kept,
                        promises_partly = promises_partly + NEW.promises_partly - OLD.promises_partly,
                        promises_broken = promises_broken + NEW.promises_broken - OLD.promises_broken,
                        due_amount = due_amount + NEW.due_amount - OLD.due_amount,
                        due_paid = due_paid + NEW.due_paid - OLD.due_paid,
                        collected = collected + NEW.collected - OLD.collected,
                        talk_seconds = talk_seconds + NEW.talk_seconds - OLD.talk_seconds,
                        wrap_seconds = wrap_seconds + NEW.wrap_seconds - OLD.wrap_seconds,
                        disputes = disputes + NEW.disputes - OLD.disputes, placed = placed + NEW.placed - OLD.placed,
                        placed_amount = placed_amount + NEW.placed_amount - OLD.placed_amount,
                        solved_30d = solved_30d + NEW.solved_30d - OLD.solved_30d
                        WHERE month = substr(OLD.day, 1, 7) AND agent = OLD.agent AND team = OLD.team AND portfolio = OLD.portfolio AND currency = OLD.currency;
                END;
                CREATE TRIGGER metrics_monthly_move AFTER UPDATE ON metrics_daily
                WHEN NOT (substr(NEW.day, 1, 7) = substr(OLD.day, 1, 7) AND NEW.agent = OLD.agent AND NEW.team = OLD.team AND NEW.portfolio = OLD.portfolio AND NEW.currency = OLD.currency) BEGIN
                    UPDATE metrics_monthly SET days = days - 1, attempts = attempts - OLD.attempts,
                        contacts = contacts - OLD.contacts, right_party = right_party - OLD.right_party,
                        promises_made = promises_made - OLD.promises_made,
                        promised_amount = promised_amount - OLD.promised_amount, promises_due = promises_due - OLD.promises_due,
                        promises_kept = promises_kept - OLD.promises_kept,
                        promises_partly = promises_partly - OLD.promises_partly,
                        promises_broken = promises_broken - OLD.promises_broken, due_amount = due_amount - OLD.due_amount,
                        due_paid = due_paid - OLD.due_paid, collected = collected - OLD.collected,
                        talk_seconds = talk_seconds - OLD.talk_seconds, wrap_seconds = wrap_seconds - OLD.wrap_seconds,
                        disputes = disputes - OLD.disputes, placed = placed - OLD.placed,
                        placed_amount = placed_amount - OLD.placed_amount, solved_30d = solved_30d - OLD.solved_30d
                        WHERE month = substr(OLD.day, 1, 7) AND agent = OLD.agent AND team = OLD.team AND portfolio = OLD.portfolio AND currency = OLD.currency;
                    DELETE FROM metrics_monthly WHERE month = substr(OLD.day, 1, 7) AND agent = OLD.agent AND team = OLD.team AND portfolio = OLD.portfolio AND currency = OLD.currency AND days = 0;
                    INSERT INTO metrics_monthly (month, agent, team, portfolio, currency, days, attempts, contacts, right_party,
                        promises_made, promised_amount, promises_due, promises_kept, promises_partly, promises_broken,
                        due_amount, due_paid, collected, talk_seconds, wrap_seconds, disputes, placed, placed_amount,
                        solved_30d)
                        VALUES (substr(NEW.day, 1, 7), NEW.agent, NEW.team, NEW.portfolio, NEW.currency, 1, NEW.attempts,
                            NEW.contacts, NEW.right_party, NEW.promises_made, NEW.promised_amount, NEW.promises_due,
                            NEW.promises_kept, NEW.promises_partly, NEW.promises_broken, NEW.due_amount, NEW.due_paid,
                            NEW.collected, NEW.talk_seconds, NEW.wrap_seconds, NEW.disputes, NEW.placed, NEW.placed_amount,
                            NEW.solved_30d)
                        ON CONFLICT (month, agent, team, portfolio, currency) DO UPDATE SET
                            days = days + 1, attempts = attempts + excluded.attempts, contacts = contacts + excluded.contacts,
                                right_party = right_party + excluded.right_party,
                                promises_made = promises_made + excluded.promises_made,
                                promised_amount = promised_amount + excluded.promised_amount,
                                promises_due = promises_due + excluded.promises_due,
                                promises_kept = promises_kept + excluded.promises_kept,
                                promises_partly = promises_partly + excluded.promises_partly,
                                promises_broken = promises_broken + excluded.promises_broken,
                                due_amount = due_amount + excluded.due_amount, due_paid = due_paid + excluded.due_paid,
                                collected = collected + excluded.collected, talk_seconds = talk_seconds + excluded.talk_seconds,
                                wrap_seconds = wrap_seconds + excluded.wrap_seconds, disputes = disputes + excluded.disputes,
                                placed = placed + excluded.placed, placed_amount = placed_amount + excluded.placed_amount,
                                solved_30d = solved_30d + excluded.solved_30d;
                END;
                CREATE TRIGGER metrics_monthly_delete AFTER DELETE ON metrics_daily BEGIN
                    UPDATE metrics_monthly SET days = days - 1, attempts = attempts - OLD.attempts,
                        contacts = contacts - OLD.contacts, right_party = right_party - OLD.right_party,
                        promises_made = promises_made - OLD.promises_made,
                        promised_amount = promised_amount - OLD.promised_amount, promises_due = promises_due - OLD.promises_due,
                        promises_kept = promises_kept - OLD.promises_kept,
                        promises_partly = promises_partly - OLD.promises_partly,
                        promises_broken = promises_broken - OLD.promises_broken, due_amount = due_amount - OLD.due_amount,
                        due_paid = due_paid - OLD.due_paid, collected = collected - OLD.collected,
                        talk_seconds = talk_seconds - OLD.talk_seconds, wrap_seconds = wrap_seconds - OLD.wrap_seconds,
                        disputes = disputes - OLD.disputes, placed = placed - OLD.placed,
                        placed_amount = placed_amount - OLD.placed_amount, solved_30d = solved_30d - OLD.solved_30d
                        WHERE month = substr(OLD.day, 1, 7) AND agent = OLD.agent AND team = OLD.team AND portfolio = OLD.portfolio AND currency = OLD.currency;
                    DELETE FROM metrics_monthly WHERE month = substr(OLD.day, 1, 7) AND agent = OLD.agent AND team = OLD.team AND portfolio = OLD.portfolio AND currency = OLD.currency AND days = 0;
                END;
                """)
        }
    }
}
