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

    /// Opens (creating if needed) the folder with mode 0700 and the replica with mode 0600.
    public func openReplica() throws -> Replica {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        } catch {
            throw HomeshoreError("home_unwritable", "Cannot use \(path) as the Homeshore folder: \(error.localizedDescription)")
        }
        let replica = try Replica(path: replicaPath)
        try Replica.restrictPermissions(replicaPath)
        return replica
    }
}
