import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    public func agentReport(_ filter: ReportFilter) async throws -> [AgentReportRow] { throw HomeshoreError("not_ready", "agents report") }
    public func dailyMetrics(agent: String?, _ filter: ReportFilter) async throws -> [DailyMetrics] { throw HomeshoreError("not_ready", "daily") }
    public func portfolioReport(_ filter: ReportFilter, now: Date) async throws -> [PortfolioReportRow] { throw HomeshoreError("not_ready", "portfolios") }
    public func promiseReport(_ filter: ReportFilter) async throws -> [PromiseReportRow] { throw HomeshoreError("not_ready", "promises") }
    public func brokenPromises(_ filter: ReportFilter, limit: Int) async throws -> [BrokenPromiseEntry] { throw HomeshoreError("not_ready", "broken") }
    public func disputeReport(_ filter: ReportFilter) async throws -> [DisputeReportRow] { throw HomeshoreError("not_ready", "disputes") }
    public func syncReport(now: Date, silentAfter: TimeInterval) async throws -> [SyncReportRow] { throw HomeshoreError("not_ready", "sync") }
    public func dossierExport(portfolio: String) async throws -> [DossierExportRow] { throw HomeshoreError("not_ready", "dossiers") }
    public func foldAgentMetrics(before day: String) async throws -> Int { 0 }
}
