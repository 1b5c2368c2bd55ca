import GRDB
import HomeshoreCore

/// Small facts about this device: its enrollment, cursor, clock and last sync.
public enum MetaKey: String, Sendable {
    case hubURL = "hub_url"
    case deviceId = "device_id"
    case deviceToken = "device_token"
    case agent = "agent"
    case agentName = "agent_name"
    case caPEM = "ca_pem"
    case cursor = "cursor"
    case hlc = "hlc"
    case nextDeviceSeq = "next_device_seq"
    case lastSyncAt = "last_sync_at"
}

extension Replica {
    public func meta(_ key: MetaKey) throws -> String? {
        try read { db in try Self.meta(db, key) }
    }

    public func setMeta(_ key: MetaKey, _ value: String) throws {
        try write { db in try Self.setMeta(db, key, value) }
    }

    static func meta(_ db: Database, _ key: MetaKey) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key.rawValue])
    }

    static func setMeta(_ db: Database, _ key: MetaKey, _ value: String) throws {
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       arguments: [key.rawValue, value])
    }

    public var cursor: Int64 {
        get throws { Int64(try meta(.cursor) ?? "0") ?? 0 }
    }
}
