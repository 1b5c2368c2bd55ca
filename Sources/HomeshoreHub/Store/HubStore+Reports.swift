import Foundation
import HomeshoreCore

/// What supervisors and creditors read: rollups kept as ops merge, plus live snapshots.
public protocol HubReportStore: Sendable {
    func agentReport(_ filter: ReportFilter) async throws -> [AgentReportRow]
    /// Day by day over the filter; with `agent`, that agent's rows only.
    func dailyMetrics(agent: String?, _ filter: ReportFilter) async throws -> [DailyMetrics]
    func portfolioReport(_ filter: ReportFilter, now: Date) async throws -> [PortfolioReportRow]
    func promiseReport(_ filter: ReportFilter) async throws -> [PromiseReportRow]
    func brokenPromises(_ filter: ReportFilter, limit: Int) async throws -> [BrokenPromiseEntry]
    func disputeReport(_ filter: ReportFilter) async throws -> [DisputeReportRow]
    func syncReport(now: Date, silentAfter: TimeInterval) async throws -> [SyncReportRow]
    func dossierExport(portfolio: String) async throws -> [DossierExportRow]
    /// Folds per-agent daily rows before `day` into their team's rows; returns the rows folded.
    func foldAgentMetrics(before day: String) async throws -> Int
}

/// Supervisors' and admins' dashboard logins.
public protocol HubLoginStore: Sendable {
    /// Sets (or with nil clears) the bcrypt hash of a login's password.
    func setPasswordHash(login: String, hash: String?) async throws
    /// The active account and its password hash, for a login attempt.
    func credentials(login: String) async throws -> (agent: Agent, hash: String?)?
    func createSession(tokenHash: String, login: String, expiresAt: Date, now: Date) async throws
    /// The active account of an unexpired session.
    func session(tokenHash: String, now: Date) async throws -> Agent?
    func deleteSession(tokenHash: String) async throws
}
