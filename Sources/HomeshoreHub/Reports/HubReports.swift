import Foundation
import HomeshoreCore

/// The reports of `homeshore-hub report NAME` and `GET /v1/reports/{name}`.
public enum ReportName: String, CaseIterable, Sendable {
    case agents, portfolios, promises, disputes, sync, compliance, dossiers
}

/// Turns the store's report rows into the tables every front end prints, so the CLI, the API and
/// the dashboard show the same figures.
public struct HubReports: Sendable {
    public let store: any HubStore
    /// Agents whose devices have not synced for this long are flagged in the sync report.
    public var silentAfter: TimeInterval

    public init(store: any HubStore, silentAfter: TimeInterval = 24 * 3_600) {
        self.store = store
        self.silentAfter = silentAfter
    }

    public func table(_ name: ReportName, filter: ReportFilter, now: Date) async throws -> ListOutput {
        switch name {
        case .agents: Self.agents(try await store.agentReport(filter))
        case .portfolios: Self.portfolios(try await store.portfolioReport(filter, now: now))
        case .promises: Self.promises(try await store.promiseReport(filter))
        case .disputes: Self.disputes(try await store.disputeReport(filter))
        case .sync: Self.sync(try await syncRows(filter: filter, now: now), now: now)
        case .compliance: Self.compliance(try await complianceRows(filter))
        case .dossiers: Self.dossiers(try await dossierRows(filter))
        }
    }

    public func syncRows(filter: ReportFilter, now: Date) async throws -> [SyncReportRow] {
        try await store.syncReport(now: now, silentAfter: silentAfter).filter { filter.team == nil || $0.team == filter.team }
    }

    public func complianceRows(_ filter: ReportFilter) async throws -> [ComplianceEntry] {
        let bounds = Self.instantBounds(filter)
        var teams: [String: String] = [:]
        if filter.team != nil { for agent in try await store.agents() { teams[agent.login] = agent.team } }
        return try await store.compliance(from: bounds.from, to: bounds.to)
            .filter { filter.portfolio == nil || $0.portfolio == filter.portfolio }
            .filter { filter.team == nil || $0.agent.flatMap { teams[$0] } == filter.team }
    }

    public func dossierRows(_ filter: ReportFilter) async throws -> [DossierExportRow] {
        guard let portfolio = filter.portfolio else {
            throw HomeshoreError("portfolio_required", "The dossiers report is per portfolio: name one with --portfolio (or ?portfolio=).")
        }
        return try await store.dossierExport(portfolio: portfolio)
    }

    /// The UTC instants that bound the filter's agency days.
    static func instantBounds(_ filter: ReportFilter) -> (from: String?, to: String?) {
        (filter.from.flatMap { AgencyCalendar.startOfDay($0) }.map(Timestamp.string(from:)),
         filter.to.flatMap { CalendarDate.adding(days: 1, to: $0) }.flatMap { AgencyCalendar.startOfDay($0) }.map(Timestamp.string(from:)))
    }

    public static func agents(_ rows: [AgentReportRow]) -> ListOutput {
        ListOutput(columns: ["agent", "name", "team", "calls", "contacts", "right_party", "rpc_rate", "promises", "ptp_rate",
                             "promised", "promises_due", "kept", "kept_rate", "collected", "aht", "disputes", "last_sync"],
                   rows: rows.map { row in
            let t = row.totals
            return [row.agent ?? "(aged out)", row.name ?? "", row.team ?? "", "\(t.attempts)", "\(t.contacts)", "\(t.rightParty)",
                    ReportFormat.percent(t.rightPartyRate), "\(t.promisesMade)", ReportFormat.percent(t.promiseRate),
                    ReportFormat.amounts(t.promisedAmount), "\(t.promisesDue)", "\(t.promisesKept)", ReportFormat.percent(t.keptRate),
                    ReportFormat.amounts(t.collected), ReportFormat.duration(t.averageHandlingSeconds), "\(t.disputes)", row.lastSyncAt ?? ""]
        })
    }

    public static func portfolios(_ rows: [PortfolioReportRow]) -> ListOutput {
        ListOutput(columns: ["portfolio", "dossiers", "open", "open_balance"] + AgeBuckets.labels.map { "balance_\($0)_days" }
                   + ["placed", "collected", "liquidation", "calls", "rpc_rate", "promises", "kept_rate", "disputes", "solved_30d"],
                   rows: rows.map { row in
            let t = row.totals
            return [row.portfolio, "\(row.dossiers)", "\(row.openDossiers)", ReportFormat.amounts(row.openBalance)]
                + row.ageBuckets.balances.map(ReportFormat.amounts)
                + [ReportFormat.amounts(t.placedAmount), ReportFormat.amounts(t.collected), ReportFormat.percent(row.liquidationRate),
                   "\(t.attempts)", ReportFormat.percent(t.rightPartyRate), "\(t.promisesMade)", ReportFormat.percent(t.keptRate),
                   "\(t.disputes)", ReportFormat.percent(t.solvedShare)]
        })
    }

    public static func promises(_ rows: [PromiseReportRow]) -> ListOutput {
        ListOutput(columns: ["agent", "name", "team", "due", "kept", "partly_kept", "broken", "kept_rate", "amount_due", "amount_paid"],
                   rows: rows.map { row in
            [row.agent ?? "(aged out)", row.name ?? "", row.team ?? "", "\(row.due)", "\(row.kept)", "\(row.partlyKept)", "\(row.broken)",
             ReportFormat.percent(row.keptRate), ReportFormat.amounts(row.dueAmount), ReportFormat.amounts(row.paidAmount)]
        })
    }

    public static func disputes(_ rows: [DisputeReportRow]) -> ListOutput {
        ListOutput(columns: ["portfolio", "reason", "opened", "upheld", "rejected", "adjusted", "rate"], rows: rows.map { row in
            [row.portfolio, row.reason, "\(row.opened)", "\(row.upheld)", "\(row.rejected)", "\(row.adjusted)", ReportFormat.percent(row.rate)]
        })
    }

    public static func sync(_ rows: [SyncReportRow], now: Date) -> ListOutput {
        ListOutput(columns: ["agent", "team", "device", "status", "last_sync", "queued", "oldest_queued", "oldest_age", "silent"],
                   rows: rows.map { row in
            [row.agent, row.team ?? "", row.device, row.status, row.lastSyncAt ?? "never", row.queued.map(String.init) ?? "",
             row.oldestQueuedAt ?? "", ReportFormat.age(row.oldestQueuedAgeSeconds), row.silent ? "yes" : ""]
        })
    }

    public static func compliance(_ rows: [ComplianceEntry]) -> ListOutput {
        ListOutput(columns: ["time", "agent", "portfolio", "reference", "outcome", "breach"],
                   rows: rows.map { [$0.time, $0.agent ?? "", $0.portfolio, $0.reference, $0.outcome ?? "", $0.breaches] })
    }

    public static func dossiers(_ rows: [DossierExportRow]) -> ListOutput {
        ListOutput(columns: ["reference", "debtor_name", "status", "currency", "amount_due", "balance", "placed_at", "last_action",
                             "last_action_at", "promises", "promises_kept", "promises_broken", "promised_amount", "payments",
                             "paid_amount", "dispute"],
                   rows: rows.map { row in
            [row.reference, row.debtorName, row.status, row.currency, Money.format(row.amountDue, currency: row.currency),
             Money.format(row.balance, currency: row.currency), row.placedAt, row.lastAction ?? "", row.lastActionAt ?? "",
             "\(row.promises)", "\(row.promisesKept)", "\(row.promisesBroken)", Money.format(row.promisedAmount, currency: row.currency),
             "\(row.payments)", Money.format(row.paidAmount, currency: row.currency), row.dispute ?? ""]
        })
    }
}
