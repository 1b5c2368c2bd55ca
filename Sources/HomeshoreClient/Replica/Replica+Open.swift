#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB
import HomeshoreCore

/// Opening the file: read-write (creating a new replica atomically) or read-only (never writing
/// anything, on a read-only folder or mount too), and refusing a damaged one.
extension Replica {
    struct Opened {
        var writer: any DatabaseWriter
        var snapshotFolder: String?
    }

    static func open(path: String, access: Access) throws -> Opened {
        let folder = (path as NSString).deletingLastPathComponent
        let record = EnrollmentRecord.read(folder: folder)
        guard let size = fileSize(path) else {
            if record != nil { throw ReplicaDamage.missing.error(path: path) }
            switch access {
            case .readOnly:
                // Nothing here yet: an empty replica in memory reads as "not enrolled", and nothing is created.
                let queue = try DatabaseQueue()
                try migrator.migrate(queue)
                return Opened(writer: queue, snapshotFolder: nil)
            case .readWrite:
                try createAtomically(path)
                return try open(path: path, access: access)
            }
        }
        // A new replica is created whole (createAtomically), so an empty file is never a fresh one.
        if size == 0 { throw ReplicaDamage.empty.error(path: path) }
        let opened: Opened
        do {
            opened = access == .readWrite ? try openForWriting(path) : try openForReading(path)
            try checkContents(opened.writer, path: path, access: access, enrolled: record != nil)
        } catch let error as DatabaseError {
            throw explained(error, path: path, salvage: nil)
        }
        return opened
    }

    /// One connection, in WAL mode as the replica was made (createAtomically). A command reads and
    /// writes in turn, never at once, and a DatabasePool cost every writing command a second
    /// connection and, whenever no WAL was left, a transaction of its own to create one (GRDB's
    /// set-up: two more fsyncs, one of them the folder's, before the op's own commit; issue 10).
    static func openForWriting(_ path: String) throws -> Opened {
        let queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: false))
        // A valid SQLite file without a single table is not a replica this client made.
        if try queue.read({ db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0 }) == 0 {
            throw ReplicaDamage.noData.error(path: path)
        }
        try queue.writeWithoutTransaction { db in
            if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
        }
        try migrator.migrate(queue)
        try restrictPermissions(path)
        return Opened(writer: queue, snapshotFolder: nil)
    }

    /// SQLite reads a WAL database read-only when its `-shm` index exists or can be created. On a
    /// read-only folder after a clean exit there is neither `-wal` nor `-shm`, and the file is read as
    /// immutable; if a `-wal` was left (a crash) without its index, a private copy of both is read,
    /// so the work it holds is shown, never silently skipped.
    static func openForReading(_ path: String) throws -> Opened {
        let config = configuration(readOnly: true)
        do {
            return Opened(writer: try probed(DatabaseQueue(path: path, configuration: config)), snapshotFolder: nil)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN {
            if (fileSize(path + "-wal") ?? 0) == 0 {
                if let queue = try? probed(DatabaseQueue(path: immutableURI(path), configuration: config)) {
                    return Opened(writer: queue, snapshotFolder: nil)
                }
            }
            return try snapshot(path, configuration: config)
        }
    }

    /// Forces SQLite to open the file and read its schema now, so failures surface here.
    static func probed(_ queue: DatabaseQueue) throws -> DatabaseQueue {
        _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
        return queue
    }

    static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
    }

    /// Copies the database and its WAL to a private folder and reads the copy.
    static func snapshot(_ path: String, configuration config: Configuration) throws -> Opened {
        var template = Array((NSTemporaryDirectory() + "/homeshore-read-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw HomeshoreError("replica_unavailable", "Cannot read \(path): no private temporary folder could be made.")
        }
        let folder = String(cString: made)
        let copy = folder + "/" + fileName
        do {
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            if FileManager.default.fileExists(atPath: path + "-wal") {
                try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
            }
            return Opened(writer: try probed(DatabaseQueue(path: copy, configuration: config)), snapshotFolder: folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    /// Migrations done (or doable), and an enrollment where the folder says there was one.
    static func checkContents(_ writer: any DatabaseWriter, path: String, access: Access, enrolled: Bool) throws {
        if access == .readOnly {
            let (complete, tables) = try writer.read { db in
                (try migrator.hasCompletedMigrations(db), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0)
            }
            if tables == 0 { throw ReplicaDamage.noData.error(path: path) }
            if !complete {
                throw HomeshoreError("replica_outdated",
                                     "The local database \(path) was made by an older homeshore and needs updating, which a read-only folder does not allow; run any command once where the folder is writable.")
            }
        }
        let device = try writer.read { db in try meta(db, .deviceId) }
        if enrolled && device == nil { throw ReplicaDamage.enrollmentLost.error(path: path) }
    }

    /// Builds a new replica under a temporary name and links it into place only once its schema is
    /// committed: `replica.sqlite` never exists half-made, so an empty one is always damage.
    static func createAtomically(_ path: String) throws {
        let temporary = path + ".new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        func cleanUp() {
            for file in [temporary, temporary + "-wal", temporary + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
        }
        do {
            let pool = try DatabasePool(path: temporary, configuration: configuration(readOnly: false))
            try migrator.migrate(pool)
            try pool.close()
            try restrictPermissions(temporary)
        } catch let error as DatabaseError {
            cleanUp()
            throw explained(error, path: path, salvage: nil)
        } catch {
            cleanUp()
            throw error
        }
        // link(2) never replaces: if another command created the replica meanwhile, theirs stands.
        if link(temporary, path) != 0 && errno != EEXIST {
            let linkError = errno
            if rename(temporary, path) != 0 {
                cleanUp()
                throw HomeshoreError("replica_unavailable", "Cannot create \(path): \(String(cString: strerror(linkError))).")
            }
        }
        cleanUp()
    }

    /// nil when there is no such file. One lstat(2), as FileManager's attributes do, without their look-up
    /// of the owner's user and group names in /etc/passwd and /etc/group, on every command (issue 10).
    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}
