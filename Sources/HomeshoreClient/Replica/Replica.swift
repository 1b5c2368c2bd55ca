import Foundation
import GRDB
import HomeshoreCore

/// The agent's local copy of its scope, plus the outbox of ops not yet acknowledged by the hub.
/// Every command commits to this SQLite file (WAL) before it returns: that is what makes a typed
/// note survive a dead battery or a dead network.
///
/// Reading commands open it read-only (`Access.readOnly`), so they work on a read-only folder or
/// mount; writing commands open it read-write and are refused with one sentence when they cannot
/// write. A replica that exists but is empty or unreadable is reported as damaged, never taken for
/// a fresh one (Replica+Damage).
public final class Replica: Sendable {
    public static let fileName = "replica.sqlite"

    public enum Access: Sendable {
        case readWrite
        /// Never writes: not the database, not its side files' contents, not the folder.
        case readOnly
    }

    let pool: any DatabaseWriter
    public let path: String
    public let access: Access
    /// A private copy read instead of the file itself (a read-only folder holding a WAL without its
    /// index); removed with this replica.
    let snapshotFolder: String?

    /// Opens the replica read-write, creating it when there is none (and this folder was never enrolled).
    public convenience init(path: String) throws {
        try self.init(path: path, access: .readWrite)
    }

    public init(path: String, access: Access) throws {
        self.path = path
        self.access = access
        let opened = try Self.open(path: path, access: access)
        pool = opened.writer
        snapshotFolder = opened.snapshotFolder
    }

    deinit {
        if let snapshotFolder { try? FileManager.default.removeItem(atPath: snapshotFolder) }
    }

    static func configuration(readOnly: Bool) -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.readonly = readOnly
        if !readOnly {
            // A command returns only once its op is on disk: a dead battery must not lose it.
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        }
        return config
    }

    /// The database and its WAL side files are readable by the agent's account only.
    static func restrictPermissions(_ path: String) throws {
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }

    public func close() throws { try pool.close() }

    // MARK: Access with errors people can act on

    /// A read; a damaged file reads as damaged, whatever query hit the damage.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw explained(error)
        }
    }

    /// A write transaction; refused with one sentence when the replica was opened for reading or its
    /// folder became read-only.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try writing { try pool.write(body) }
    }

    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try writing { try pool.writeWithoutTransaction(body) }
    }

    private func writing<T>(_ access: () throws -> T) throws -> T {
        guard self.access == .readWrite else { throw openedForReading }
        do {
            return try access()
        } catch let error as DatabaseError {
            throw explained(error)
        }
    }

    var folder: String { (path as NSString).deletingLastPathComponent }

    func explained(_ error: DatabaseError) -> any Error {
        Self.explained(error, path: path, salvage: self)
    }

    static func explained(_ error: DatabaseError, path: String, salvage: Replica?) -> any Error {
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return ReplicaDamage.unreadable(error.message ?? "\(error)").error(path: path, queued: salvage?.salvageableQueue())
        case .SQLITE_READONLY:
            return readOnlyRefusal(folder: (path as NSString).deletingLastPathComponent, reason: error.message)
        case .SQLITE_FULL:
            return HomeshoreError("disk_full", "The disk holding \(path) is full; nothing was recorded, free some space and try again.")
        default:
            return error
        }
    }

    var openedForReading: HomeshoreError {
        HomeshoreError("replica_read_only", "The local database \(path) was opened for reading only; nothing can be recorded through it.")
    }

    /// The one sentence a writing command gets on a read-only folder.
    static func readOnlyRefusal(folder: String, reason: String?) -> HomeshoreError {
        HomeshoreError("home_read_only",
                       "The Homeshore folder \(folder) is read-only\(reason.map { " (\($0))" } ?? ""), so nothing can be recorded or synced; "
                       + "reading commands (status, list, show, search, next) still work.")
    }
}
