import Foundation
import HomeshoreCore

public enum Role: String, Codable, Sendable, CaseIterable {
    case agent, supervisor, admin
}

public enum AccountStatus: String, Codable, Sendable {
    case active, retired, revoked
}

public struct NewAgent: Sendable {
    public var login: String
    public var name: String
    public var role: Role
    public var team: String?
    public var languages: [String]
    public var portfolios: [String]
    public var capacity: Int

    public init(login: String, name: String, role: Role = .agent, team: String? = nil, languages: [String] = ["fr"],
                portfolios: [String] = [], capacity: Int = 50) {
        self.login = login
        self.name = name
        self.role = role
        self.team = team
        self.languages = languages
        self.portfolios = portfolios
        self.capacity = capacity
    }
}

public struct Agent: Codable, Sendable, Equatable {
    public var id: Int64
    public var login: String
    public var name: String
    public var role: Role
    public var team: String?
    public var languages: [String]
    public var portfolios: [String]
    public var capacity: Int
    public var status: AccountStatus
    public var createdAt: String
    public var dossiers: Int
    public var devices: Int
    public var lastSyncAt: String?
}

public struct Device: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var status: AccountStatus
    public var createdAt: String
    public var lastSyncAt: String?
    public var queuedOps: Int?
    public var oldestQueuedAt: String?
}

/// Who is calling, once the bearer token matched a device.
public struct DeviceAuth: Sendable, Equatable {
    public var deviceId: String
    public var deviceStatus: AccountStatus
    public var agentId: Int64
    public var login: String
    public var role: Role
    public var agentStatus: AccountStatus
    /// When the device was enrolled (hub time): nothing it records can predate it.
    public var enrolledAt: Date = .distantPast
    /// When the device or its agent was retired: it may still hand in what it recorded before.
    public var retiredAt: Date?

    public var isRevoked: Bool { deviceStatus == .revoked || agentStatus == .revoked }
    public var isRetired: Bool { !isRevoked && (deviceStatus == .retired || agentStatus == .retired) }
}

/// A dossier named by an admin: reference, optionally qualified by portfolio (`P/REF` or `--portfolio`).
public struct DossierKey: Sendable, Hashable, CustomStringConvertible {
    public var portfolio: String?
    public var reference: String

    public init(portfolio: String?, reference: String) {
        self.portfolio = portfolio
        self.reference = reference
    }

    public var description: String { portfolio.map { "\($0)/\(reference)" } ?? reference }
}

public struct ImportSummary: Sendable, Equatable {
    public var created: Int
    public var updated: Int
    public var unchanged: Int
}

public struct AssignSummary: Sendable, Equatable {
    public var changed: [String]
    public var unchanged: [String]
}

/// One page of changes to an agent's scope after a cursor.
public struct PullPage: Sendable, Equatable {
    public var removals: [String]
    public var upserts: [PulledDossier]
    public var portfolios: [PortfolioRecord]
    public var cursor: Int64
    public var more: Bool
}

/// A `DossierChange` as the store read it: each event's payload stays the JSON text it was stored
/// as, so a page goes to the wire without decoding and re-encoding every payload.
public struct PulledDossier: Sendable, Equatable {
    public var dossier: DossierRecord
    public var events: [PulledEvent]
    public var whole: Bool

    public var change: DossierChange {
        get throws { DossierChange(dossier: dossier, events: try events.map { try $0.record }, whole: whole) }
    }
}

/// An `EventRecord` whose payload is still the stored JSON text (a WireJSON `OpPayload`).
public struct PulledEvent: Sendable, Equatable {
    public var id: String
    public var dossierId: String
    public var seq: Int64
    public var kind: String
    public var agent: String?
    public var device: String?
    public var clientTime: String?
    public var hubTime: String
    public var payload: String
    public var flag: String?

    public var record: EventRecord {
        get throws {
            EventRecord(id: id, dossierId: dossierId, seq: seq, kind: kind, agent: agent, device: device, clientTime: clientTime,
                        hubTime: hubTime, payload: try WireJSON.decode(OpPayload.self, from: Data(payload.utf8)), flag: flag)
        }
    }
}

public struct PaymentImportSummary: Sendable, Equatable {
    public var recorded: Int
    public var duplicates: Int
    public var amount: Int64
    public var closed: Int
}

/// A portfolio's rules for promises, plans and retention, as set by an admin.
public struct PortfolioPolicy: Sendable, Equatable, Codable {
    public var name: String
    public var graceDays: Int
    public var planMissedLimit: Int
    public var retentionDays: Int
    public var window: String
    public var maxAttempts7d: Int
    public var restAfterContact: String
    public var lease: String
    public var dossiers: Int
    public var scripts: [String]
}

public struct PolicyChange: Sendable {
    public var graceDays: Int?
    public var planMissedLimit: Int?
    public var retentionDays: Int?
    public var window: CallingWindow?
    public var maxAttempts7d: Int?
    public var restAfterContact: TimeInterval?
    public var lease: TimeInterval?

    public init(graceDays: Int? = nil, planMissedLimit: Int? = nil, retentionDays: Int? = nil, window: CallingWindow? = nil,
                maxAttempts7d: Int? = nil, restAfterContact: TimeInterval? = nil, lease: TimeInterval? = nil) {
        self.graceDays = graceDays
        self.planMissedLimit = planMissedLimit
        self.retentionDays = retentionDays
        self.window = window
        self.maxAttempts7d = maxAttempts7d
        self.restAfterContact = restAfterContact
        self.lease = lease
    }
}

/// What a lease sweep did: dossiers returned to the pool, and those kept for a silent agent because
/// they hold the agent's callback or active promise (a supervisor should look at them).
public struct LeaseSweep: Sendable, Equatable {
    public struct Kept: Sendable, Equatable {
        public var agent: String
        public var reference: String
        public var lastSync: String?
    }

    public var released: [String]
    public var kept: [Kept]
}

/// Changes to an agent's profile; nil leaves a field as it is.
public struct AgentChange: Sendable {
    public var name: String?
    public var role: Role?
    public var team: String?
    public var languages: [String]?
    public var portfolios: [String]?
    public var capacity: Int?

    public init(name: String? = nil, role: Role? = nil, team: String? = nil, languages: [String]? = nil,
                portfolios: [String]? = nil, capacity: Int? = nil) {
        self.name = name
        self.role = role
        self.team = team
        self.languages = languages
        self.portfolios = portfolios
        self.capacity = capacity
    }
}
