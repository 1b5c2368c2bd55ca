import Foundation
import GRDB
import HomeshoreCore

/// The embedded hub store: one SQLite file in WAL mode. Correctness does not lean on SQLite's single
/// writer: the hub sequence is taken inside each writing transaction (see `HubStore`).
public final class SQLiteHubStore: HubStore {
    let pool: DatabasePool

    public convenience init(path: String) throws {
        try self.init(path: path, prepare: nil)
    }

    /// `prepare` runs on every connection once it is set up (tests watch the statements with it).
    init(path: String, prepare: (@Sendable (Database) throws -> Void)?) throws {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // The hub acknowledges an op only once committed; FULL makes that commit survive a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try prepare?(db)
        }
        do {
            try Self.keepPrivate(path)
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw HomeshoreError("store_unavailable", "Cannot open the hub database at \(path): \(error.message ?? "\(error)").")
        }
    }

    /// The database holds debtor data: only the hub's user may read it. SQLite gives its -wal and
    /// -shm files the mode of the database file, so creating that one 0600 covers all three; a hub
    /// made before this is tightened at its next start.
    static func keepPrivate(_ path: String) throws {
        let files = FileManager.default
        if !files.fileExists(atPath: path) {
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw HomeshoreError("store_unavailable", "Cannot create the hub database at \(path); check the data folder's permissions.")
            }
        }
        for file in [path, path + "-wal", path + "-shm"] where files.fileExists(atPath: file) {
            try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Takes the next number of the hub sequence. The row lock serialises writers on any engine.
    static func nextSeq(_ db: Database, count: Int64 = 1) throws -> Int64 {
        guard let last = try Int64.fetchOne(db.cachedStatement(sql: "UPDATE hub_sequence SET value = value + ? WHERE id = 1 RETURNING value"),
                                            arguments: [count]) else {
            throw HomeshoreError("store_corrupt", "The hub sequence is missing.")
        }
        return last - count + 1
    }
}
