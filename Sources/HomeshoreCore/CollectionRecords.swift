/// A payment promise. Only the hub moves it out of `active`, from payments and the calendar.
public enum PromiseState: String, Codable, Sendable, CaseIterable {
    case active, kept
    case partlyKept = "partly-kept"
    case broken, cancelled
}

public struct PromiseRecord: Codable, Sendable, Equatable {
    public var id: String
    public var amount: Int64
    /// How much of it payments have covered so far.
    public var paid: Int64
    public var due: String
    public var graceDays: Int
    public var state: PromiseState
    public var planId: String?
    public var instalment: Int?
    public var agent: String?
    public var createdAt: String
    public var settledAt: String?

    public init(id: String, amount: Int64, paid: Int64 = 0, due: String, graceDays: Int, state: PromiseState = .active,
                planId: String? = nil, instalment: Int? = nil, agent: String?, createdAt: String, settledAt: String? = nil) {
        self.id = id
        self.amount = amount
        self.paid = paid
        self.due = due
        self.graceDays = graceDays
        self.state = state
        self.planId = planId
        self.instalment = instalment
        self.agent = agent
        self.createdAt = createdAt
        self.settledAt = settledAt
    }

    /// The last day a payment still keeps the promise.
    public var graceEnd: String { CalendarDate.adding(days: graceDays, to: due) ?? due }
}

public enum PlanState: String, Codable, Sendable, CaseIterable {
    case onTrack = "on-track", late, broken, completed, cancelled
}

/// An instalment plan (échéancier): each instalment is a promise with this plan's id.
public struct PlanRecord: Codable, Sendable, Equatable {
    public var id: String
    public var instalments: Int
    public var amount: Int64
    public var first: String
    public var every: String
    public var state: PlanState
    /// Missed instalments that break the plan.
    public var missedLimit: Int
    public var agent: String?
    public var createdAt: String

    public init(id: String, instalments: Int, amount: Int64, first: String, every: String, state: PlanState = .onTrack,
                missedLimit: Int, agent: String?, createdAt: String) {
        self.id = id
        self.instalments = instalments
        self.amount = amount
        self.first = first
        self.every = every
        self.state = state
        self.missedLimit = missedLimit
        self.agent = agent
        self.createdAt = createdAt
    }
}

public enum DisputeReason: String, Codable, Sendable, CaseIterable {
    case amount
    case notReceived = "not-received"
    case quality
    case alreadyPaid = "already-paid"
    case identity, other

    public static var allCodes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

public enum DisputeState: String, Codable, Sendable, CaseIterable {
    case open, upheld, rejected, adjusted
}

public struct DisputeRecord: Codable, Sendable, Equatable {
    public var id: String
    public var reason: DisputeReason
    public var note: String?
    public var state: DisputeState
    public var agent: String?
    public var openedAt: String
    public var resolvedAt: String?
    public var adjustedAmount: Int64?

    public init(id: String, reason: DisputeReason, note: String?, state: DisputeState = .open, agent: String?,
                openedAt: String, resolvedAt: String? = nil, adjustedAmount: Int64? = nil) {
        self.id = id
        self.reason = reason
        self.note = note
        self.state = state
        self.agent = agent
        self.openedAt = openedAt
        self.resolvedAt = resolvedAt
        self.adjustedAmount = adjustedAmount
    }
}

public struct PaymentRecord: Codable, Sendable, Equatable {
    public var id: String
    public var amount: Int64
    public var paidOn: String
    public var importedAt: String

    public init(id: String, amount: Int64, paidOn: String, importedAt: String) {
        self.id = id
        self.amount = amount
        self.paidOn = paidOn
        self.importedAt = importedAt
    }
}

/// The collection work on a dossier, as the hub settled it: travels inside the dossier record.
public struct DossierWork: Codable, Sendable, Equatable {
    public var promises: [PromiseRecord]
    public var plans: [PlanRecord]
    public var disputes: [DisputeRecord]
    public var payments: [PaymentRecord]

    public init(promises: [PromiseRecord] = [], plans: [PlanRecord] = [], disputes: [DisputeRecord] = [], payments: [PaymentRecord] = []) {
        self.promises = promises
        self.plans = plans
        self.disputes = disputes
        self.payments = payments
    }

    public var openDispute: DisputeRecord? { disputes.last { $0.state == .open } }
    public var activePlan: PlanRecord? { plans.last { $0.state == .onTrack || $0.state == .late } }
    public var activePromises: [PromiseRecord] { promises.filter { $0.state == .active } }
}

/// What a client needs of a portfolio: its policy and its scripts.
public struct PortfolioRecord: Codable, Sendable, Equatable {
    public var name: String
    public var graceDays: Int
    public var planMissedLimit: Int
    public var scripts: [String: String]
    /// Calling window, attempt cap and rest period, enforced offline by `homeshore next`.
    public var contact: ContactPolicy?

    public init(name: String, graceDays: Int, planMissedLimit: Int, scripts: [String: String], contact: ContactPolicy? = nil) {
        self.name = name
        self.graceDays = graceDays
        self.planMissedLimit = planMissedLimit
        self.scripts = scripts
        self.contact = contact
    }
}
