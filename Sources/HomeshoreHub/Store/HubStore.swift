import Foundation
import HomeshoreCore

/// Everything the hub keeps. The HTTP app, the admin commands and the import use only this protocol,
/// so each engine (SQLite embedded, PostgreSQL for several hub processes) implements it whole.
///
/// Semantics every implementation must keep, whatever its locking:
/// - every change to a dossier takes a number from one hub sequence, allocated inside the writing
///   transaction and serialised with it, so numbers become visible in increasing order;
/// - an op's effect and its id are committed together; a batch commits whole or not at all.
public protocol HubStore: HubReportStore, HubLoginStore {
    func createAgent(_ agent: NewAgent, now: Date) async throws -> Agent
    func agents() async throws -> [Agent]
    func agent(login: String) async throws -> Agent?
    func devices(login: String) async throws -> [Device]
    func updateAgent(login: String, _ change: AgentChange) async throws -> Agent
    func setStatus(login: String, to status: AccountStatus, now: Date) async throws
    func createEnrollment(login: String, secretHash: String, expiresAt: Date, now: Date) async throws
    /// Redeems a one-time secret and registers the device, atomically: a secret works once.
    func redeemEnrollment(secretHash: String, deviceId: String, deviceName: String, tokenHash: String, now: Date) async throws -> Agent
    func authenticate(tokenHash: String) async throws -> DeviceAuth?

    func importDossiers(portfolio: String, rows: [DossierImportRow], now: Date,
                        progress: (@Sendable (Int) -> Void)?) async throws -> ImportSummary
    func assign(_ keys: [DossierKey], to login: String?, now: Date) async throws -> AssignSummary

    /// Applies a batch of ops from one device in one transaction and returns one result per op.
    func push(_ ops: [SyncOp], from device: DeviceAuth, queued: Int?, oldestQueuedAt: String?, now: Date) async throws -> [OpResult]
    /// The changes to the agent's scope after `cursor`, at most `limit` dossiers or removals.
    /// `cursor` is a `PullCursor`: mid-run it carries the run's base, and dossiers bring their events
    /// after that base, so a dossier changed on both sides of a page's end loses nothing. One page
    /// reads one snapshot, in which a sequence number is visible only with every lower one (SQLite:
    /// one writer; PostgreSQL: read below the oldest transaction still running, DESIGN §4.4). Every
    /// statement searches by the agent and a sequence number, or by the page's own dossiers.
    func pull(agentId: Int64, after cursor: Int64, limit: Int) async throws -> PullPage
    /// Time-driven upkeep of an agent's scope before a pull: promises whose grace ended are settled,
    /// closed dossiers past the retention period leave the agent. Found by the instant each dossier
    /// next needs it (kept when it is settled), so a sync with nothing due reads nothing.
    func housekeeping(agentId: Int64, now: Date) async throws

    func portfolio(_ name: String) async throws -> PortfolioRecord?
    func setScripts(portfolio: String, scripts: [Situation: String], now: Date) async throws
    func setScripts(portfolio: String, variants: [ScriptKey: String], now: Date) async throws
    func setPolicy(portfolio: String, _ change: PolicyChange, now: Date) async throws -> PortfolioPolicy
    func policy(portfolio: String) async throws -> PortfolioPolicy
    /// Records payments and settles what they pay for; all or nothing (problems carry line numbers).
    func importPayments(_ rows: [PaymentImportRow], now: Date,
                        progress: (@Sendable (PaymentImportProgress) -> Void)?) async throws -> PaymentImportSummary
    /// Settles a dispute: upheld closes the claim (or lowers it with `amount`), adjusted sets the new
    /// balance, rejected puts the dossier back in the queue.
    func resolveDispute(_ key: DossierKey, outcome: DisputeState, amount: String?, now: Date) async throws -> DossierRecord
    /// Settles every dossier whose promises' grace ended (the hub runs this periodically).
    func settleDue(now: Date) async throws -> Int
    /// Tops an agent's worklist up to capacity from the pool (atomically per dossier).
    func handOut(agentId: Int64, now: Date) async throws -> Int
    func expireLeases(now: Date) async throws -> LeaseSweep
    func lapsedLeases(now: Date) async throws -> LeaseSweep
    /// Calls merged although they broke a contact rule (window, 7-day cap, rest), oldest first.
    func compliance(from: String?, to: String?) async throws -> [ComplianceEntry]
    /// One dossier with its whole merged history.
    func dossier(_ key: DossierKey) async throws -> DossierChange
    /// A dossier an agent may look up for an inbound call, with its whole history: one of the agent's
    /// portfolios, or held by the agent. Errors: `unknown_dossier`, `forbidden`, `ambiguous_reference`.
    func lookup(reference: String, portfolio: String?, forAgentId agentId: Int64) async throws -> DossierChange
    /// The agent's scope, whole: for convergence checks and the admin's view.
    func scope(login: String) async throws -> [DossierChange]
    func eventCount(kind: String?) async throws -> Int
    func ping() async throws
}

extension HubStore {
    /// Records payments without reporting progress.
    public func importPayments(_ rows: [PaymentImportRow], now: Date) async throws -> PaymentImportSummary {
        try await importPayments(rows, now: now, progress: nil)
    }
}
