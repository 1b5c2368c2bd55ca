import Foundation
import HomeshoreCore

/// Which rows a report covers. Days are the agency's calendar days (YYYY-MM-DD), both included.
public struct ReportFilter: Sendable, Equatable {
    public var from: String?
    public var to: String?
    public var team: String?
    public var portfolio: String?

    public init(from: String? = nil, to: String? = nil, team: String? = nil, portfolio: String? = nil) {
        self.from = from
        self.to = to
        self.team = team
        self.portfolio = portfolio
    }
}

/// Amounts of one figure, by currency: portfolios may mix currencies and no report adds them up.
public typealias Amounts = [String: Int64]

/// The figures kept per agent, portfolio and day (DESIGN §7), summed over whatever rows a report
/// groups. Rates are derived here, never stored, so a sum of days gives the period's rate.
public struct MetricTotals: Codable, Sendable, Equatable {
    public var attempts: Int64 = 0
    public var contacts: Int64 = 0
    public var rightParty: Int64 = 0
    public var promisesMade: Int64 = 0
    public var promisedAmount: Amounts = [:]
    /// Promises whose due date falls in the period and whose fate is decided (kept, partly, broken).
    public var promisesDue: Int64 = 0
    public var promisesKept: Int64 = 0
    public var promisesPartlyKept: Int64 = 0
    public var promisesBroken: Int64 = 0
    public var dueAmount: Amounts = [:]
    public var duePaid: Amounts = [:]
    /// Payments received; on an agent's row, the part that kept that agent's promises.
    public var collected: Amounts = [:]
    public var talkSeconds: Int64 = 0
    public var wrapUpSeconds: Int64 = 0
    public var disputes: Int64 = 0
    public var placedDossiers: Int64 = 0
    public var placedAmount: Amounts = [:]
    /// Of the dossiers placed in the period, those paid in full within 30 days of placement.
    public var solvedWithin30Days: Int64 = 0

    public init() {}

    public var rightPartyRate: Double? { Self.ratio(rightParty, attempts) }
    public var promiseRate: Double? { Self.ratio(promisesMade, rightParty) }
    public var keptRate: Double? { Self.ratio(promisesKept, promisesDue) }
    public var averageHandlingSeconds: Double? { attempts == 0 ? nil : Double(talkSeconds + wrapUpSeconds) / Double(attempts) }
    public var solvedShare: Double? { Self.ratio(solvedWithin30Days, placedDossiers) }

    static func ratio(_ part: Int64, _ whole: Int64) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    public static func += (lhs: inout MetricTotals, rhs: MetricTotals) {
        lhs.attempts += rhs.attempts
        lhs.contacts += rhs.contacts
        lhs.rightParty += rhs.rightParty
        lhs.promisesMade += rhs.promisesMade
        lhs.promisedAmount.merge(rhs.promisedAmount, uniquingKeysWith: +)
        lhs.promisesDue += rhs.promisesDue
        lhs.promisesKept += rhs.promisesKept
        lhs.promisesPartlyKept += rhs.promisesPartlyKept
        lhs.promisesBroken += rhs.promisesBroken
        lhs.dueAmount.merge(rhs.dueAmount, uniquingKeysWith: +)
        lhs.duePaid.merge(rhs.duePaid, uniquingKeysWith: +)
        lhs.collected.merge(rhs.collected, uniquingKeysWith: +)
        lhs.talkSeconds += rhs.talkSeconds
        lhs.wrapUpSeconds += rhs.wrapUpSeconds
        lhs.disputes += rhs.disputes
        lhs.placedDossiers += rhs.placedDossiers
        lhs.placedAmount.merge(rhs.placedAmount, uniquingKeysWith: +)
        lhs.solvedWithin30Days += rhs.solvedWithin30Days
    }
}

/// One agent's figures over the period. Rows of agents whose daily figures aged out are folded into
/// one row per team, with `agent` nil.
public struct AgentReportRow: Codable, Sendable, Equatable {
    public var agent: String?
    public var name: String?
    public var team: String?
    public var totals: MetricTotals
    public var lastSyncAt: String?
}

/// One day of one agent (or of the whole filter when no agent is given), for charts.
public struct DailyMetrics: Codable, Sendable, Equatable {
    public var day: String
    public var totals: MetricTotals
}

/// Open balance by age since placement: 0–30, 31–60, 61–90 and over 90 days.
public struct AgeBuckets: Codable, Sendable, Equatable {
    public static let labels = ["0-30", "31-60", "61-90", "90+"]
    public var balances: [Amounts] = [[:], [:], [:], [:]]
    public var dossiers: [Int64] = [0, 0, 0, 0]
}

public struct PortfolioReportRow: Codable, Sendable, Equatable {
    public var portfolio: String
    /// Dossiers now in the portfolio, open (not paid, not closed) and their balance today.
    public var dossiers: Int64
    public var openDossiers: Int64
    public var openBalance: Amounts
    public var ageBuckets: AgeBuckets
    /// Figures of the period.
    public var totals: MetricTotals
    /// Everything placed and collected up to the end of the period: liquidation = collected / placed.
    public var placedToDate: Amounts
    public var collectedToDate: Amounts
    public var disputesByReason: [String: Int64]

    /// Collected over placed, to date, when the portfolio holds one currency.
    public var liquidationRate: Double? {
        guard placedToDate.count == 1, let (currency, placed) = placedToDate.first, placed > 0 else { return nil }
        return Double(collectedToDate[currency] ?? 0) / Double(placed)
    }
}

public struct PromiseReportRow: Codable, Sendable, Equatable {
    public var agent: String?
    public var name: String?
    public var team: String?
    public var due: Int64
    public var kept: Int64
    public var partlyKept: Int64
    public var broken: Int64
    public var dueAmount: Amounts
    public var paidAmount: Amounts

    public var keptRate: Double? { MetricTotals.ratio(kept, due) }
}

/// A broken or partly kept promise, for the supervisor's follow-up list.
public struct BrokenPromiseEntry: Codable, Sendable, Equatable {
    public var agent: String?
    public var portfolio: String
    public var reference: String
    public var debtorName: String
    public var due: String
    public var amount: Int64
    public var paid: Int64
    public var currency: String
    public var state: String
}

public struct DisputeReportRow: Codable, Sendable, Equatable {
    public var portfolio: String
    public var reason: String
    public var opened: Int64
    public var upheld: Int64
    public var rejected: Int64
    public var adjusted: Int64
    /// Disputes opened over dossiers placed in the portfolio (to the end of the period).
    public var rate: Double?
}

public struct SyncReportRow: Codable, Sendable, Equatable {
    public var agent: String
    public var team: String?
    public var device: String
    public var status: String
    public var lastSyncAt: String?
    /// Ops the device still held unsent when it last synced, and when the oldest was recorded.
    public var queued: Int?
    public var oldestQueuedAt: String?
    public var oldestQueuedAgeSeconds: Int64?
    /// Silent longer than the threshold (or never synced) while active.
    public var silent: Bool
}

/// One dossier as its creditor sees it.
public struct DossierExportRow: Codable, Sendable, Equatable {
    public var reference: String
    public var debtorName: String
    public var status: String
    public var currency: String
    public var amountDue: Int64
    public var balance: Int64
    public var placedAt: String
    public var lastAction: String?
    public var lastActionAt: String?
    public var promises: Int64
    public var promisesKept: Int64
    public var promisesBroken: Int64
    public var promisedAmount: Int64
    public var payments: Int64
    public var paidAmount: Int64
    public var dispute: String?
}
