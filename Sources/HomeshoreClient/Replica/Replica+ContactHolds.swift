import Foundation
import GRDB
import HomeshoreCore

/// The contact rules' part of the work list (issue 10): how long the 7-day cap and the rest hold
/// each dossier back (`ContactRules.hold`), kept as one indexed instant per row, so that `next`
/// reads only the dossiers that can be called now instead of decoding every held-back one. The
/// instant depends on the dossier's calls (merged and queued), its callback and its portfolio's
/// policy; the row is rewritten with the rest of it, and every row of a portfolio whose policy
/// changes is rewritten too.
extension Replica {
    /// The "v5-contact-holds" migration's schema. Shipped: never edit it, add a new migration.
    ///
    /// `free_from`: `Date.timeIntervalSinceReferenceDate` from which neither the cap nor the rest
    /// holds the dossier (`neverHeld` when neither ever does, `alwaysHeld` for a cap of 0); never null
    /// once the migration has filled it.
    static let contactHoldsSchema = """
        ALTER TABLE work_list ADD COLUMN free_from REAL;
        CREATE INDEX work_list_free_from ON work_list(free_from) WHERE callable = 1;
        """

    static let neverHeld = -Double.greatestFiniteMagnitude
    static let alwaysHeld = Double.greatestFiniteMagnitude

    /// `free_from` is compared with `now` plus this margin: `check`, which stays the judge, does its
    /// own `Date` arithmetic, and a dossier it would let through must never be left out by rounding.
    static let freeFromMargin: TimeInterval = 0.001

    static func freeFrom(_ hold: ContactRules.Hold) -> Double {
        switch hold {
        case .none: neverHeld
        case .until(let instant): instant.timeIntervalSinceReferenceDate
        case .always: alwaysHeld
        }
    }

    /// The portfolios' contact policies, each read and decoded once per use.
    struct ContactPolicies {
        private var known: [String: ContactPolicy] = [:]

        mutating func policy(_ db: Database, portfolio: String) throws -> ContactPolicy {
            if let policy = known[portfolio] { return policy }
            let policy = try Replica.storedPolicy(db, portfolio: portfolio) ?? ContactPolicy()
            known[portfolio] = policy
            return policy
        }
    }

    /// The policy a stored portfolio record sets, nil when there is none (the defaults apply).
    static func storedPolicy(_ db: Database, portfolio: String) throws -> ContactPolicy? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM portfolios WHERE name = ?"), arguments: [portfolio])
            .flatMap(policy(ofRecord:))
    }

    static func policy(ofRecord text: String) throws -> ContactPolicy? {
        try WireJSON.decode(PortfolioRecord.self, from: Data(text.utf8)).contact
    }

    /// Rewrites the work-list rows of these portfolios' dossiers (their policy changed).
    static func refreshWork(_ db: Database, portfolios: Set<String>, policies: inout ContactPolicies) throws {
        for portfolio in portfolios.sorted() {
            for id in try String.fetchAll(db, sql: "SELECT dossier_id FROM work_list WHERE portfolio = ?", arguments: [portfolio]) {
                try refreshWork(db, dossierId: id, policies: &policies)
            }
        }
    }

    /// The "v6-work-list-groups" migration's schema. Shipped: never edit it, add a new migration.
    /// `next` checks the calling window once per (portfolio, time zone) of callable dossiers; this
    /// index lets it find those few pairs by seeking from one to the next (`callableGroupsSQL`)
    /// instead of reading every row.
    static let workListGroupsSchema = "CREATE INDEX work_list_groups ON work_list(portfolio, timezone) WHERE callable = 1"

    /// The distinct (portfolio, timezone) of callable dossiers, each found by one index seek.
    static let callableGroupsSQL = """
        WITH RECURSIVE groups(id) AS (
            SELECT (SELECT dossier_id FROM work_list WHERE callable = 1 ORDER BY portfolio, timezone LIMIT 1)
            UNION ALL
            SELECT COALESCE(
                (SELECT w.dossier_id FROM work_list w WHERE w.callable = 1 AND w.portfolio = c.portfolio AND w.timezone > c.timezone
                 ORDER BY w.timezone LIMIT 1),
                (SELECT w.dossier_id FROM work_list w WHERE w.callable = 1 AND w.portfolio > c.portfolio ORDER BY w.portfolio, w.timezone LIMIT 1))
            FROM groups JOIN work_list c ON c.dossier_id = groups.id
        )
        SELECT c.portfolio, c.timezone FROM groups JOIN work_list c ON c.dossier_id = groups.id
        """
}
