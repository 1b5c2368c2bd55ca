import Foundation
import GRDB
import HomeshoreCore

/// What this folder was enrolled as, kept beside the replica (`enrollment.json`, 0600, no secret).
/// It is what tells a damaged or vanished replica from a folder that was never enrolled, and what
/// lets the agent be told what was lost. Written at enrollment and after each completed sync;
/// removed before a wipe (revoked or retired laptop), so a wiped replica is never taken for a damaged one.
struct EnrollmentRecord: Codable, Sendable, Equatable {
    static let fileName = "enrollment.json"

    var agent: String
    var hub: String
    var deviceId: String
    var enrolledAt: String
    var lastSyncAt: String?

    static func path(folder: String) -> String { folder + "/" + fileName }

    /// The record, or nil when there is none (or it cannot be read: then nothing is known).
    static func read(folder: String) -> EnrollmentRecord? {
        guard let data = FileManager.default.contents(atPath: path(folder: folder)) else { return nil }
        return try? WireJSON.decoder().decode(EnrollmentRecord.self, from: data)
    }

    /// Replaces the record atomically (a new file renamed over the old one), mode 0600.
    func write(folder: String) throws {
        let target = Self.path(folder: folder)
        let temporary = target + ".new-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: try WireJSON.encode(self),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw HomeshoreError("home_unwritable", "Cannot write \(target).")
        }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw HomeshoreError("home_unwritable", "Cannot write \(target): \(reason).")
        }
    }

    static func remove(folder: String) throws {
        let target = path(folder: folder)
        guard FileManager.default.fileExists(atPath: target) else { return }
        try FileManager.default.removeItem(atPath: target)
    }
}

/// How a replica can be found damaged. Each is reported as such, with what is known of what was
/// lost, and nothing is changed: a damaged replica is never recreated nor read as "not enrolled".
enum ReplicaDamage: Equatable {
    /// The file has no bytes at all (truncated, or replaced by an empty file).
    case empty
    /// The file is gone though this folder was enrolled.
    case missing
    /// A valid SQLite file without any table: not (or no longer) a replica.
    case noData
    /// SQLite cannot read it (corrupt pages, not a database).
    case unreadable(String)
    /// It opens, but its enrollment is gone though the folder was enrolled and never wiped.
    case enrollmentLost

    var what: String {
        switch self {
        case .empty: "it is empty (0 bytes)"
        case .missing: "it is missing"
        case .noData: "it holds no Homeshore data"
        case .unreadable(let reason): "it cannot be read (\(reason))"
        case .enrollmentLost: "its enrollment and the data that went with it are gone"
        }
    }

    /// One sentence: what is wrong, what is known of what was lost, what to do.
    func error(path: String, queued: (count: Int, oldest: String?)? = nil) -> HomeshoreError {
        let folder = (path as NSString).deletingLastPathComponent
        var known: [String] = []
        if let record = EnrollmentRecord.read(folder: folder) {
            var line = "this folder was enrolled as \(record.agent) with \(record.hub)"
            if let last = record.lastSyncAt {
                line += ", last synced \(last): the hub has everything sent until then, and what was recorded on this laptop after that sync is lost"
            } else {
                line += " and never synced: everything recorded on this laptop is lost"
            }
            known.append(line)
        } else {
            known.append("no enrollment is on record for this folder, so what it held (enrollment, dossiers, work not yet sent) cannot be told")
        }
        if let queued, queued.count > 0 {
            known.append("it still lists \(queued.count) recorded change(s) not yet sent"
                         + (queued.oldest.map { ", the oldest recorded \($0)," } ?? "") + " which may be lost")
        }
        return HomeshoreError(
            "replica_damaged",
            "The local database \(path) is damaged: \(what); \(known.joined(separator: "; ")); nothing was changed — "
                + "move the folder \(folder) aside (keep it for support) and enroll again with a new token from your admin.")
    }
}

extension Replica {
    /// Records the enrollment beside the replica (a no-op for a replica not enrolled or opened read-only).
    func recordEnrollment(now: Date = Date()) throws {
        guard access == .readWrite else { return }
        let facts = try read { db in
            (agent: try Self.meta(db, .agent), hub: try Self.meta(db, .hubURL), device: try Self.meta(db, .deviceId),
             lastSync: try Self.meta(db, .lastSyncAt))
        }
        guard let agent = facts.agent, let hub = facts.hub, let device = facts.device else { return }
        let previous = EnrollmentRecord.read(folder: folder)
        let enrolledAt = previous?.deviceId == device ? previous?.enrolledAt ?? Timestamp.string(from: now) : Timestamp.string(from: now)
        let record = EnrollmentRecord(agent: agent, hub: hub, deviceId: device, enrolledAt: enrolledAt, lastSyncAt: facts.lastSync)
        guard record != previous else { return }
        try record.write(folder: folder)
    }

    /// What is still countable in the outbox of a damaged replica, if anything.
    func salvageableQueue() -> (count: Int, oldest: String?)? {
        try? pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(recorded_at) AS oldest FROM outbox")
            return (row?["n"] ?? 0, row?["oldest"])
        }
    }
}
