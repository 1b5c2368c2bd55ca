import Foundation
import GRDB
import HomeshoreCore

/// The agent's local copy of its scope, plus the outbox of ops not yet acknowledged by the hub.
/// Every command commits to this SQLite file (WAL) before it returns: that is what makes a typed
/// note survive a dead battery or a dead network.
public final class Replica: Sendable {
    public static let fileName = "replica.sqlite"
    let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(30)
        // A command returns only once its op is on disk: a dead battery must not lose it.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let existed = FileManager.default.fileExists(atPath: path)
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw HomeshoreError("replica_unavailable", "Cannot open the local database \(path): \(error.message ?? "\(error)").")
        }
        if !existed { try Self.restrictPermissions(path) }
    }

    /// The database and its WAL side files are readable by the agent's account only.
    static func restrictPermissions(_ path: String) throws {
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }

    public func close() throws { try pool.close() }
}
