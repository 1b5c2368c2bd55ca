import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// `WHERE` over rollup rows for a filter (days, the team the work was done in, portfolio).
    static func rollupWhere(_ filter: ReportFilter, alias: String = "m") -> (sql: String, arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let from = filter.from { clauses.append("\(alias).day >= ?"); arguments.append(from) }
        if let to = filter.to { clauses.append("\(alias).day <= ?"); arguments.append(to) }
        let (scope, scopeArguments) = scopeWhere(filter, alias: alias)
        return ((clauses + [scope]).joined(separator: " AND "), StatementArguments(arguments) + scopeArguments)
    }

    /// `WHERE` for the team the work was done in and the portfolio, on daily or monthly rollups.
    static func scopeWhere(_ filter: ReportFilter, alias: String = "m") -> (sql: String, arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let team = filter.team { clauses.append("\(alias).team = ?"); arguments.append(team) }
        if let portfolio = filter.portfolio { clauses.append("\(alias).portfolio = ?"); arguments.append(portfolio) }
        return (clauses.isEmpty ? "1 = 1" : clauses.joined(separator: " AND "), StatementArguments(arguments))
    }

    /// Sums the rollups of the filter, grouped by `group` (an SQL expression over `m` that does not
    /// name the day): whole months from `metrics_monthly`, edge days from `metrics_daily` (see
    /// `RollupPeriod`). A group is there when at least one daily row of the period is, exactly as
    /// if every day had been read: each part also counts the daily rows it stands for.
    static func totals(_ db: Database, _ filter: ReportFilter, group: String, extra: String = "1 = 1",
                       extraArguments: StatementArguments = []) throws -> [String: MetricTotals] {
        let period = RollupPeriod(from: filter.from, to: filter.to)
        let (scope, scopeArguments) = scopeWhere(filter)
        let columns = MetricColumn.allCases.map(\.rawValue)
        var parts: [String] = []
        var arguments = StatementArguments()
        if let months = period.months {
            var range: [String] = []
            if let first = months.first { range.append("m.month >= ?"); arguments += [first] }
            if let last = months.last { range.append("m.month <= ?"); arguments += [last] }
            parts.append("""
                SELECT \(group) AS grouping, m.currency, m.days AS day_rows, \(columns.map { "m.\($0) AS \($0)" }.joined(separator: ", "))
                FROM metrics_monthly m WHERE \((range + [scope, extra]).joined(separator: " AND "))
                """)
            arguments += scopeArguments
            arguments += extraArguments
        }
        for days in period.days {
            let sign = days.sign < 0 ? "-" : ""
            parts.append("""
                SELECT \(group) AS grouping, m.currency, \(sign)1 AS day_rows, \(columns.map { "\(sign)m.\($0) AS \($0)" }.joined(separator: ", "))
                FROM metrics_daily m WHERE m.day >= ? AND m.day <= ? AND \(scope) AND \(extra)
                """)
            arguments += [days.first, days.last]
            arguments += scopeArguments
            arguments += extraArguments
        }
        guard !parts.isEmpty else { return [:] }
        let sums = columns.map { "SUM(\($0)) AS \($0)" }.joined(separator: ", ")
        var result: [String: MetricTotals] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT grouping, currency, \(sums) FROM (\(parts.joined(separator: " UNION ALL ")))
            GROUP BY grouping, currency HAVING SUM(day_rows) > 0
            """, arguments: arguments) {
            result[row["grouping"], default: MetricTotals()] += totals(from: row)
        }
        return result
    }

    /// Sums the daily rollups of the filter by day, for charts.
    static func dailyTotals(_ db: Database, _ filter: ReportFilter, extra: String = "1 = 1",
                            extraArguments: StatementArguments = []) throws -> [String: MetricTotals] {
        var (whereSQL, arguments) = rollupWhere(filter)
        arguments += extraArguments
        let sums = MetricColumn.allCases.map { "SUM(m.\($0.rawValue)) AS \($0.rawValue)" }.joined(separator: ", ")
        var result: [String: MetricTotals] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT m.day AS grouping, m.currency, \(sums) FROM metrics_daily m
            WHERE \(whereSQL) AND \(extra) GROUP BY grouping, m.currency
            """, arguments: arguments) {
            result[row["grouping"], default: MetricTotals()] += totals(from: row)
        }
        return result
    }

    static func totals(from row: Row) -> MetricTotals {
        let currency: String = row["currency"]
        func value(_ column: MetricColumn) -> Int64 { row[column.rawValue] ?? 0 }
        func amount(_ column: MetricColumn) -> Amounts { value(column) == 0 ? [:] : [currency: value(column)] }
        var totals = MetricTotals()
        totals.attempts = value(.attempts)
        totals.contacts = value(.contacts)
        totals.rightParty = value(.rightParty)
        totals.promisesMade = value(.promisesMade)
        totals.promisedAmount = amount(.promisedAmount)
        totals.promisesDue = value(.promisesDue)
        totals.promisesKept = value(.promisesKept)
        totals.promisesPartlyKept = value(.promisesPartly)
        totals.promisesBroken = value(.promisesBroken)
        totals.dueAmount = amount(.dueAmount)
        totals.duePaid = amount(.duePaid)
        totals.collected = amount(.collected)
        totals.talkSeconds = value(.talkSeconds)
        totals.wrapUpSeconds = value(.wrapSeconds)
        totals.disputes = value(.disputes)
        totals.placedDossiers = value(.placed)
        totals.placedAmount = amount(.placedAmount)
        totals.solvedWithin30Days = value(.solved30d)
        return totals
    }

    /// Agents (role agent, active) of the filter's team, then teams of agents whose rows aged out.
    static func agentRows(_ db: Database, _ filter: ReportFilter) throws -> [AgentReportRow] {
        let byAgent = try totals(db, filter, group: "m.agent", extra: "m.agent != ''")
        let folded = try totals(db, filter, group: "m.team", extra: "m.agent = '' AND m.team != ''")
        // What the report shows of each agent, by position; not `agentSelect`, which also counts
        // every agent's dossiers (a pass over the whole scope index for nothing the report prints).
        let agents = try Row.fetchAll(db, sql: """
            SELECT a.login, a.name, a.team, a.status, a.portfolios,
                (SELECT MAX(v.last_sync_at) FROM devices v WHERE v.agent_id = a.id) AS last_sync
            FROM agents a WHERE a.role = 'agent' ORDER BY a.login
            """)
        var rows: [AgentReportRow] = []
        for agent in agents {
            let login: String = agent[0], team: String? = agent[2], status: String = agent[3], portfolios: String = agent[4]
            let worked = byAgent[login]
            let listed = status == AccountStatus.active.rawValue && (filter.team == nil || team == filter.team)
                && (filter.portfolio == nil || portfolios.split(separator: ",").contains { $0 == filter.portfolio ?? "" })
            guard worked != nil || listed else { continue }
            rows.append(AgentReportRow(agent: login, name: agent[1], team: team, totals: worked ?? MetricTotals(), lastSyncAt: agent[5]))
        }
        for team in folded.keys.sorted() {
            rows.append(AgentReportRow(agent: nil, name: nil, team: team, totals: folded[team] ?? MetricTotals(), lastSyncAt: nil))
        }
        return rows
    }

    public func agentReport(_ filter: ReportFilter) async throws -> [AgentReportRow] {
        try await pool.read { db in try Self.agentRows(db, filter) }
    }

    public func dailyMetrics(agent: String?, _ filter: ReportFilter) async throws -> [DailyMetrics] {
        try await pool.read { db in try Self.dailyRows(db, agent: agent, filter) }
    }

    static func dailyRows(_ db: Database, agent: String?, _ filter: ReportFilter) throws -> [DailyMetrics] {
        let byDay = try Self.dailyTotals(db, filter, extra: agent == nil ? "1 = 1" : "m.agent = ?",
                                         extraArguments: agent.map { [$0] } ?? [])
        var days = byDay.keys.sorted()
        // Charts need the quiet days too.
        if let from = filter.from, let to = filter.to, let first = CalendarDate.dayNumber(from), let last = CalendarDate.dayNumber(to),
           first <= last, last - first <= 3_660 {
            days = (first...last).map(CalendarDate.fromDayNumber)
        }
        return days.map { DailyMetrics(day: $0, totals: byDay[$0] ?? MetricTotals()) }
    }

    /// A creditor's portfolio is reported whole: placements and payments belong to no team.
    public func portfolioReport(_ filter: ReportFilter, now: Date) async throws -> [PortfolioReportRow] {
        var whole = filter
        whole.team = nil
        let filter = whole
        return try await pool.read { db in try Self.portfolioRows(db, filter, now: now) }
    }

    static func portfolioRows(_ db: Database, _ filter: ReportFilter, now: Date) throws -> [PortfolioReportRow] {
        let period = try Self.totals(db, filter, group: "m.portfolio")
        var toDate = filter
        toDate.from = nil
        toDate.team = nil
        let cumulative = try Self.totals(db, toDate, group: "m.portfolio")
        let (disputeWhere, disputeArguments) = Self.rollupWhere(filter)
        var reasons: [String: [String: Int64]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT m.portfolio, m.reason, SUM(m.opened) AS opened FROM metrics_disputes m WHERE \(disputeWhere) GROUP BY m.portfolio, m.reason
            """, arguments: disputeArguments) where (row["opened"] as Int64) != 0 {
            reasons[row["portfolio"], default: [:]][row["reason"]] = row["opened"]
        }
        let names = try String.fetchAll(db, sql: "SELECT name FROM portfolios WHERE ? IS NULL OR name = ? ORDER BY name",
                                        arguments: [filter.portfolio, filter.portfolio])
        return try names.map { name in
            var row = PortfolioReportRow(portfolio: name, dossiers: 0, openDossiers: 0, openBalance: [:], ageBuckets: AgeBuckets(),
                                         totals: period[name] ?? MetricTotals(), placedToDate: cumulative[name]?.placedAmount ?? [:],
                                         collectedToDate: cumulative[name]?.collected ?? [:], disputesByReason: reasons[name] ?? [:])
            for dossier in try Row.fetchAll(db, sql: "SELECT balance, currency, placed_at, status FROM dossiers WHERE portfolio = ?", arguments: [name]) {
                row.dossiers += 1
                let status: String = dossier["status"]
                guard status != DossierStatus.paid.rawValue, status != DossierStatus.closed.rawValue else { continue }
                let balance: Int64 = dossier["balance"]
                let currency: String = dossier["currency"]
                row.openDossiers += 1
                row.openBalance[currency, default: 0] += balance
                let age = Timestamp.parse(dossier["placed_at"]).map { now.timeIntervalSince($0) / 86_400 } ?? 0
                let bucket = age <= 30 ? 0 : age <= 60 ? 1 : age <= 90 ? 2 : 3
                row.ageBuckets.dossiers[bucket] += 1
                row.ageBuckets.balances[bucket][currency, default: 0] += balance
            }
            return row
        }
    }

    public func promiseReport(_ filter: ReportFilter) async throws -> [PromiseReportRow] {
        try await pool.read { db in
            try Self.agentRows(db, filter).map { row in
                PromiseReportRow(agent: row.agent, name: row.name, team: row.team, due: row.totals.promisesDue, kept: row.totals.promisesKept,
                                 partlyKept: row.totals.promisesPartlyKept, broken: row.totals.promisesBroken,
                                 dueAmount: row.totals.dueAmount, paidAmount: row.totals.duePaid)
            }
        }
    }

    public func brokenPromises(_ filter: ReportFilter, limit: Int) async throws -> [BrokenPromiseEntry] {
        try await pool.read { db in try Self.brokenPromiseRows(db, filter, limit: limit) }
    }

    static func brokenPromiseRows(_ db: Database, _ filter: ReportFilter, limit: Int) throws -> [BrokenPromiseEntry] {
        try Row.fetchAll(db, sql: """
            SELECT p.agent, p.due_date, p.amount, p.paid, p.state, d.portfolio, d.reference, d.debtor_name, d.currency
            FROM promises p JOIN dossiers d ON d.id = p.dossier_id LEFT JOIN agents a ON a.login = p.agent
            WHERE p.state IN ('broken', 'partly-kept') AND (? IS NULL OR p.due_date >= ?) AND (? IS NULL OR p.due_date <= ?)
            AND (? IS NULL OR a.team = ?) AND (? IS NULL OR d.portfolio = ?)
            ORDER BY p.due_date DESC, d.reference LIMIT ?
            """, arguments: [filter.from, filter.from, filter.to, filter.to, filter.team, filter.team, filter.portfolio, filter.portfolio, limit]).map { row in
            BrokenPromiseEntry(agent: row["agent"], portfolio: row["portfolio"], reference: row["reference"], debtorName: row["debtor_name"],
                               due: row["due_date"], amount: row["amount"], paid: row["paid"], currency: row["currency"], state: row["state"])
        }
    }

    public func disputeReport(_ filter: ReportFilter) async throws -> [DisputeReportRow] {
        var whole = filter
        whole.team = nil
        let filter = whole
        return try await pool.read { db in try Self.disputeRows(db, filter) }
    }

    static func disputeRows(_ db: Database, _ filter: ReportFilter) throws -> [DisputeReportRow] {
        let (whereSQL, arguments) = Self.rollupWhere(filter)
        var toDate = filter
        toDate.from = nil
        toDate.team = nil
        let placed = try Self.totals(db, toDate, group: "m.portfolio")
        return try Row.fetchAll(db, sql: """
            SELECT m.portfolio, m.reason, SUM(m.opened) AS opened, SUM(m.upheld) AS upheld, SUM(m.rejected) AS rejected,
            SUM(m.adjusted) AS adjusted FROM metrics_disputes m WHERE \(whereSQL) GROUP BY m.portfolio, m.reason ORDER BY m.portfolio, m.reason
            """, arguments: arguments).map { row in
            let portfolio: String = row["portfolio"]
            let opened: Int64 = row["opened"]
            return DisputeReportRow(portfolio: portfolio, reason: row["reason"], opened: opened, upheld: row["upheld"], rejected: row["rejected"],
                                    adjusted: row["adjusted"], rate: MetricTotals.ratio(opened, placed[portfolio]?.placedDossiers ?? 0))
        }
    }

    public func syncReport(now: Date, silentAfter: TimeInterval) async throws -> [SyncReportRow] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.login, a.team, v.name, v.status, a.status AS agent_status, v.last_sync_at, v.queued_ops, v.oldest_queued_at
                FROM devices v JOIN agents a ON a.id = v.agent_id ORDER BY a.login, v.created_at
                """).map { row in
                let lastSync: String? = row["last_sync_at"]
                let queued: Int? = row["queued_ops"]
                let oldest: String? = (queued ?? 0) > 0 ? row["oldest_queued_at"] : nil
                let status: String = (row["agent_status"] as String) == AccountStatus.active.rawValue ? row["status"] : row["agent_status"]
                let silence = lastSync.flatMap(Timestamp.parse).map { now.timeIntervalSince($0) }
                return SyncReportRow(agent: row["login"], team: row["team"], device: row["name"], status: status, lastSyncAt: lastSync,
                                     queued: queued, oldestQueuedAt: oldest,
                                     oldestQueuedAgeSeconds: oldest.flatMap(Timestamp.parse).map { Int64(max(0, now.timeIntervalSince($0))) },
                                     silent: status == AccountStatus.active.rawValue && (silence ?? .infinity) > silentAfter)
            }
        }
    }

    public func dossierExport(portfolio: String) async throws -> [DossierExportRow] {
        try await pool.read { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM portfolios WHERE name = ?", arguments: [portfolio]) != nil else {
                throw HomeshoreError("unknown_portfolio", "There is no portfolio \(portfolio).")
            }
            return try Row.fetchAll(db, sql: """
                SELECT d.id, d.reference, d.debtor_name, d.status, d.currency, d.amount_due, d.balance, d.placed_at,
                    (SELECT COUNT(*) FROM promises p WHERE p.dossier_id = d.id) AS promises,
                    (SELECT COUNT(*) FROM promises p WHERE p.dossier_id = d.id AND p.state = 'kept') AS kept,
                    (SELECT COUNT(*) FROM promises p WHERE p.dossier_id = d.id AND p.state IN ('broken', 'partly-kept')) AS broken,
                    (SELECT COALESCE(SUM(p.amount), 0) FROM promises p WHERE p.dossier_id = d.id AND p.state != 'cancelled') AS promised,
                    (SELECT COUNT(*) FROM payments y WHERE y.dossier_id = d.id) AS payments,
                    (SELECT COALESCE(SUM(y.amount), 0) FROM payments y WHERE y.dossier_id = d.id) AS paid,
                    (SELECT s.reason || ' (' || s.state || ')' FROM disputes s WHERE s.dossier_id = d.id ORDER BY s.opened_at DESC LIMIT 1) AS dispute
                FROM dossiers d WHERE d.portfolio = ? ORDER BY d.reference
                """, arguments: [portfolio]).map { row in
                let last = try Row.fetchOne(db, sql: """
                    SELECT kind, payload, COALESCE(client_time, hub_time) AS at FROM events
                    WHERE dossier_id = ? AND kind != 'assignment' ORDER BY COALESCE(client_time, hub_time) DESC, seq DESC LIMIT 1
                    """, arguments: [row["id"] as String])
                return DossierExportRow(reference: row["reference"], debtorName: row["debtor_name"], status: row["status"], currency: row["currency"],
                                        amountDue: row["amount_due"], balance: row["balance"], placedAt: row["placed_at"],
                                        lastAction: last.map(Self.describeAction), lastActionAt: last?["at"], promises: row["promises"],
                                        promisesKept: row["kept"], promisesBroken: row["broken"], promisedAmount: row["promised"],
                                        payments: row["payments"], paidAmount: row["paid"], dispute: row["dispute"])
            }
        }
    }

    /// `call: right-party`, `payment`, `promise-kept`: what happened last, in a word or two.
    static func describeAction(_ row: Row) -> String {
        let kind: String = row["kind"]
        guard kind == OpKind.call.rawValue,
              let payload = try? WireJSON.decode(OpPayload.self, from: Data((row["payload"] as String).utf8)), let outcome = payload.outcome
        else { return kind }
        return "call: \(outcome)"
    }

    /// Folded rows keep a team name, so they never mix with the rows of no agent (team '').
    static let foldedTeam = "CASE WHEN team = '' THEN '(no team)' ELSE team END"

    public func foldAgentMetrics(before day: String) async throws -> Int {
        try await pool.write { db in
            let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metrics_daily WHERE agent != '' AND day < ?", arguments: [day]) ?? 0
            guard rows > 0 else { return 0 }
            let columns = MetricColumn.allCases.map(\.rawValue)
            try db.execute(sql: """
                INSERT INTO metrics_daily (day, agent, team, portfolio, currency, \(columns.joined(separator: ", ")))
                SELECT day, '', \(Self.foldedTeam), portfolio, currency, \(columns.map { "SUM(\($0))" }.joined(separator: ", "))
                FROM metrics_daily WHERE agent != '' AND day < ? GROUP BY day, \(Self.foldedTeam), portfolio, currency
                ON CONFLICT (day, agent, team, portfolio, currency) DO UPDATE SET
                \(columns.map { "\($0) = metrics_daily.\($0) + excluded.\($0)" }.joined(separator: ", "))
                """, arguments: [day])
            try db.execute(sql: "DELETE FROM metrics_daily WHERE agent != '' AND day < ?", arguments: [day])
            try db.execute(sql: """
                INSERT INTO metrics_disputes (day, agent, team, portfolio, reason, opened, upheld, rejected, adjusted)
                SELECT day, '', \(Self.foldedTeam), portfolio, reason, SUM(opened), SUM(upheld), SUM(rejected), SUM(adjusted)
                FROM metrics_disputes WHERE agent != '' AND day < ? GROUP BY day, \(Self.foldedTeam), portfolio, reason
                ON CONFLICT (day, agent, team, portfolio, reason) DO UPDATE SET opened = metrics_disputes.opened + excluded.opened,
                upheld = metrics_disputes.upheld + excluded.upheld, rejected = metrics_disputes.rejected + excluded.rejected,
                adjusted = metrics_disputes.adjusted + excluded.adjusted
                """, arguments: [day])
            try db.execute(sql: "DELETE FROM metrics_disputes WHERE agent != '' AND day < ?", arguments: [day])
            return rows
        }
    }
}
