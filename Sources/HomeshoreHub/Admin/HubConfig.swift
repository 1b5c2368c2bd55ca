import Foundation
import HomeshoreCore

/// `hub.json` in the data folder, written by `init`.
public struct HubConfig: Codable, Sendable, Equatable {
    public var publicURL: String
    public var listen: String
    public var hostnames: [String]
    public var caFingerprint: String
    public var enrollmentTTLHours: Int
    /// Per-agent daily figures older than this many days are folded into team figures (default 90).
    public var agentMetricsRetentionDays: Int?
    /// The sync report and dashboard flag agents silent for longer than this many hours (default 24).
    public var silentAfterHours: Int?

    public var metricsRetentionDays: Int { max(1, agentMetricsRetentionDays ?? 90) }
    public var silentAfter: TimeInterval { TimeInterval(max(1, silentAfterHours ?? 24)) * 3_600 }

    // The wire's snake_case round-trips acronyms as "Url"/"Ttl"; name them so.
    enum CodingKeys: String, CodingKey {
        case publicURL = "publicUrl", listen, hostnames, caFingerprint, enrollmentTTLHours = "enrollmentTtlHours"
        case agentMetricsRetentionDays, silentAfterHours
    }

    public init(publicURL: String, listen: String, hostnames: [String], caFingerprint: String, enrollmentTTLHours: Int = 72) {
        self.publicURL = publicURL
        self.listen = listen
        self.hostnames = hostnames
        self.caFingerprint = caFingerprint
        self.enrollmentTTLHours = enrollmentTTLHours
        // Written out by `init` so admins find the settings in hub.json; older files without them get the same defaults.
        agentMetricsRetentionDays = 90
        silentAfterHours = 24
    }
}

/// Where a hub keeps its files.
public struct HubDataDir: Sendable {
    public let path: String

    public init(_ path: String) { self.path = (path as NSString).standardizingPath }

    public var database: String { path + "/hub.sqlite" }
    public var config: String { path + "/hub.json" }
    public var caCertificate: String { path + "/ca.pem" }
    public var caKey: String { path + "/ca-key.pem" }
    public var serverCertificate: String { path + "/server.pem" }
    public var serverKey: String { path + "/server-key.pem" }

    public func loadConfig() throws -> HubConfig {
        guard let data = FileManager.default.contents(atPath: config) else {
            throw HomeshoreError("not_initialised", "There is no hub in \(path); run `homeshore-hub init --data \(path)` first.")
        }
        do {
            return try WireJSON.decode(HubConfig.self, from: data)
        } catch let error as HomeshoreError {
            throw HomeshoreError("invalid_config", "\(config) is damaged: \(error.message)")
        }
    }

    public func openStore() throws -> SQLiteHubStore {
        _ = try loadConfig()
        return try SQLiteHubStore(path: database)
    }

    func read(_ file: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw HomeshoreError("missing_file", "The hub file \(file) is missing or unreadable.")
        }
        return text
    }
}
