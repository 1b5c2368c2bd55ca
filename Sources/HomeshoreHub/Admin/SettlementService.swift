import Foundation
import HomeshoreCore
import Logging
import ServiceLifecycle

/// Promises break with the calendar, not only with payments, and leases lapse while agents are
/// silent: the hub settles both periodically, so reports and worklists are right each morning.
/// Per-agent figures past their retention are folded into team figures on the same round.
struct SettlementService: Service {
    let store: any HubStore
    let interval: Duration
    let metricsRetentionDays: Int
    let logger: Logger

    func run() async throws {
        // Shutdown ends the wait between rounds; it is not a failure of the hub.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let settled = try await store.settleDue(now: Date())
                    if settled > 0 { logger.info("settled \(settled) dossier(s) whose promises fell due") }
                    let sweep = try await store.expireLeases(now: Date())
                    if !sweep.released.isEmpty { logger.info("returned \(sweep.released.count) dossier(s) of silent agents to the pool") }
                    if let cutoff = CalendarDate.adding(days: -metricsRetentionDays, to: AgencyCalendar.day(of: Date())) {
                        let folded = try await store.foldAgentMetrics(before: cutoff)
                        if folded > 0 { logger.info("folded \(folded) per-agent daily row(s) older than \(metricsRetentionDays) days into team figures") }
                    }
                } catch {
                    logger.error("settling due promises failed: \(type(of: error))")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
