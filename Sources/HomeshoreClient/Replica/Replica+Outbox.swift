import Foundation
import GRDB
import HomeshoreCore

/// An op waiting in the outbox, with the reference it was typed against (for `status`).
public struct QueuedOp: Sendable, Equatable {
    public var op: SyncOp
    public var reference: String?
}

public struct RejectedOp: Sendable, Equatable, Codable {
    public var id: String
    public var reference: String?
    public var kind: String
    public var code: String?
    public var reason: String
    public var rejectedAt: String
}

extension Replica {
    /// Queues a command. It is stamped with this device's next sequence number and clock in the same
    /// transaction that stores it, so ops keep their recorded order and nothing is queued half-way.
    @discardableResult
    public func record(kind: OpKind, dossierId: String, payload: OpPayload, now: Date = Date()) throws -> SyncOp {
        try write { db in
            guard let device = try Self.meta(db, .deviceId) else {
                throw HomeshoreError("not_enrolled", "This laptop is not enrolled; run `homeshore enroll TOKEN` first.")
            }
            let seq = Int64(try Self.meta(db, .nextDeviceSeq) ?? "1") ?? 1
            var clock = HybridLogicalClock(node: device, last: try Self.meta(db, .hlc).flatMap(HLCStamp.init))
            let stamp = clock.tick(now: now)
            let op = SyncOp(id: UUID().uuidString.lowercased(), deviceSeq: seq, kind: kind.rawValue, dossierId: dossierId,
                            recordedAt: Timestamp.string(from: now), hlc: stamp.description, payload: payload)
            try OpValidation.validate(op)
            let json = String(decoding: try WireJSON.encode(op), as: UTF8.self)
            try db.execute(sql: "INSERT INTO outbox (device_seq, id, dossier_id, kind, recorded_at, op) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [seq, op.id, dossierId, kind.rawValue, op.recordedAt, json])
            try Self.setMeta(db, .nextDeviceSeq, String(seq + 1))
            try Self.setMeta(db, .hlc, stamp.description)
            if Self.opKindsShapingWork.contains(kind.rawValue) { try Self.refreshWork(db, dossierId: dossierId) }
            return op
        }
    }

    /// Checks an op as `record` would, without recording it: a command can then say everything that
    /// is wrong with what was typed before it warns about anything.
    public func validateDraft(kind: OpKind, dossierId: String, payload: OpPayload, now: Date = Date()) throws {
        let device = try meta(.deviceId) ?? "draft"
        var clock = HybridLogicalClock(node: device)
        let op = SyncOp(id: UUID().uuidString.lowercased(), deviceSeq: 1, kind: kind.rawValue, dossierId: dossierId,
                        recordedAt: Timestamp.string(from: now), hlc: clock.tick(now: now).description, payload: payload)
        try OpValidation.validate(op)
    }

    /// The oldest queued ops first.
    public func queued(limit: Int = .max) throws -> [QueuedOp] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.op, d.reference FROM outbox o LEFT JOIN dossiers d ON d.id = o.dossier_id ORDER BY o.device_seq LIMIT ?
                """, arguments: [limit]).map { row in
                QueuedOp(op: try WireJSON.decode(SyncOp.self, from: Data((row["op"] as String).utf8)), reference: row["reference"])
            }
        }
    }

    public func queuedCount() throws -> (count: Int, oldest: String?) {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(recorded_at) AS oldest FROM outbox")
            return (row?["n"] ?? 0, row?["oldest"])
        }
    }

    public func rejected() throws -> [RejectedOp] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rejected ORDER BY device_seq").map { row in
                RejectedOp(id: row["id"], reference: row["reference"], kind: row["kind"], code: row["code"],
                           reason: row["reason"], rejectedAt: row["rejected_at"])
            }
        }
    }

    /// Whether an op of this kind on this dossier is still waiting for the hub.
    public func hasQueued(_ kind: OpKind, dossierId: String) throws -> Bool {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT 1 FROM outbox WHERE dossier_id = ? AND kind = ? LIMIT 1", arguments: [dossierId, kind.rawValue]) != nil
        }
    }

    /// Ops of one dossier still waiting for the hub, oldest first.
    func queued(_ db: Database, dossierId: String) throws -> [SyncOp] {
        try String.fetchAll(db, sql: "SELECT op FROM outbox WHERE dossier_id = ? ORDER BY device_seq", arguments: [dossierId])
            .map { try WireJSON.decode(SyncOp.self, from: Data($0.utf8)) }
    }
}
