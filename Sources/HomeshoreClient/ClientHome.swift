#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import HomeshoreCore

/// The client's folder (`--home`, else `$HOMESHORE_HOME`, else `~/.homeshore`): private to the agent's account.
public struct ClientHome: Sendable {
    public let path: String

    public init(_ explicit: String?) {
        let env = ProcessInfo.processInfo.environment["HOMESHORE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
        let chosen = explicit ?? env ?? (NSHomeDirectory() + "/.homeshore")
        path = (chosen as NSString).standardizingPath
    }

    public var replicaPath: String { path + "/" + Replica.fileName }

    /// Opens the replica. Read-write (the default) creates the folder (0700) and the replica (0600)
    /// when missing, and refuses with one sentence when the folder or the file cannot be written.
    /// Read-only, for the reading commands, changes nothing (on a writable folder SQLite may leave its
    /// empty `-wal`/`-shm` side files, 0600 like the database): it works on a read-only folder or
    /// mount, and a folder without a replica reads as not enrolled, without creating anything.
    public func openReplica(access: Replica.Access = .readWrite) throws -> Replica {
        if access == .readOnly {
            do {
                return try Replica(path: replicaPath, access: .readOnly)
            } catch let error as HomeshoreError where error.code == "replica_outdated" && isWritable {
                // A replica made by an older homeshore, in a folder that can be written: the first
                // command after the upgrade, reading or not, brings it up to date (once), rather than
                // refusing `next` or `list` until something writes.
                try openReplica(access: .readWrite).close()
                return try Replica(path: replicaPath, access: .readOnly)
            }
        }
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw HomeshoreError("home_unwritable", "Cannot use \(path) as the Homeshore folder: it is a file, not a folder.")
            }
            try Self.requireWritable(path, folder: path)
            if fm.fileExists(atPath: replicaPath) { try Self.requireWritable(replicaPath, folder: path) }
            // Only when it differs: a folder already private needs no write to its metadata.
            // lstat(2), as FileManager does, without its look-up of user and group names (issue 10).
            var info = stat()
            let mode = lstat(path, &info) == 0 ? Int(info.st_mode) : 0
            if mode & 0o777 != 0o700 {
                do {
                    try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
                } catch {
                    throw HomeshoreError("home_unwritable", "Cannot make \(path) private to this account: \(error.localizedDescription)")
                }
            }
        } else {
            do {
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw HomeshoreError("home_unwritable", "Cannot use \(path) as the Homeshore folder: \(error.localizedDescription)")
            }
        }
        let replica = try Replica(path: replicaPath, access: .readWrite)
        // An enrolled replica from before the enrollment record existed (or whose wipe was cut short) gets one.
        try? replica.recordEnrollment()
        return replica
    }

    /// Whether the folder and its replica can be written by this account.
    var isWritable: Bool {
        access(path, W_OK) == 0 && access(replicaPath, W_OK) == 0
    }

    /// A writing command on a read-only folder, mount or file: one sentence, before anything is tried.
    static func requireWritable(_ file: String, folder: String) throws {
        guard access(file, W_OK) != 0 else { return }
        let reason = String(cString: strerror(errno))
        if errno == EROFS || errno == EACCES || errno == EPERM {
            throw Replica.readOnlyRefusal(folder: folder, reason: file == folder ? reason : "\((file as NSString).lastPathComponent): \(reason)")
        }
        throw HomeshoreError("home_unwritable", "Cannot use \(folder) as the Homeshore folder: \(reason).")
    }
}
