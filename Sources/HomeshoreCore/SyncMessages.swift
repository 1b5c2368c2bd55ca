/// `POST /v1/sync` body: the oldest queued ops first, and the cursor of the last change pulled.
public struct SyncRequest: Codable, Sendable, Equatable {
    public var cursor: Int64
    public var ops: [SyncOp]
    /// How many ops are still queued on the device beyond this batch, and the age of the oldest, for sync health.
    public var queued: Int?
    public var oldestQueuedAt: String?

    public init(cursor: Int64, ops: [SyncOp], queued: Int? = nil, oldestQueuedAt: String? = nil) {
        self.cursor = cursor
        self.ops = ops
        self.queued = queued
        self.oldestQueuedAt = oldestQueuedAt
    }
}

public enum OpStatus: String, Codable, Sendable {
    case applied, duplicate, rejected
}

public struct OpResult: Codable, Sendable, Equatable {
    public var id: String
    public var status: OpStatus
    public var code: String?
    public var reason: String?

    public init(id: String, status: OpStatus, code: String? = nil, reason: String? = nil) {
        self.id = id
        self.status = status
        self.code = code
        self.reason = reason
    }
}

/// A dossier in scope that changed after the cursor. `whole` means it just entered the scope:
/// the client replaces what it had, and `events` is the complete history; otherwise `events` holds
/// only those after the cursor.
public struct DossierChange: Codable, Sendable, Equatable {
    public var dossier: DossierRecord
    public var events: [EventRecord]
    public var whole: Bool

    public init(dossier: DossierRecord, events: [EventRecord], whole: Bool) {
        self.dossier = dossier
        self.events = events
        self.whole = whole
    }
}

public struct SyncResponse: Codable, Sendable, Equatable {
    public var results: [OpResult]
    /// Dossiers that left the scope: the client deletes them and their history. Applied before `upserts`.
    public var removals: [String]
    public var upserts: [DossierChange]
    public var cursor: Int64
    public var more: Bool
    /// The device was retired: once its queue is empty it must wipe its replica.
    public var wipe: Bool
    public var agent: String
    public var hubTime: String
    /// Policies and scripts of portfolios that changed, or that a dossier in this page belongs to.
    public var portfolios: [PortfolioRecord]?

    public init(results: [OpResult], removals: [String], upserts: [DossierChange], cursor: Int64, more: Bool,
                wipe: Bool, agent: String, hubTime: String, portfolios: [PortfolioRecord]? = nil) {
        self.results = results
        self.removals = removals
        self.upserts = upserts
        self.cursor = cursor
        self.more = more
        self.wipe = wipe
        self.agent = agent
        self.hubTime = hubTime
        self.portfolios = portfolios
    }
}

public struct EnrollRequest: Codable, Sendable {
    public var secret: String
    public var deviceName: String

    public init(secret: String, deviceName: String) {
        self.secret = secret
        self.deviceName = deviceName
    }
}

public struct EnrollResponse: Codable, Sendable {
    public var deviceId: String
    public var deviceToken: String
    public var agent: String
    public var agentName: String

    public init(deviceId: String, deviceToken: String, agent: String, agentName: String) {
        self.deviceId = deviceId
        self.deviceToken = deviceToken
        self.agent = agent
        self.agentName = agentName
    }
}

/// The JSON error body of every 4xx answer.
public struct ErrorBody: Codable, Sendable {
    public var error: HomeshoreError

    public init(error: HomeshoreError) { self.error = error }
}
