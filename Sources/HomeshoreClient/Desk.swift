import Foundation
import HomeshoreCore

/// Everything the agent's commands do, over the local replica. The CLI only parses and prints.
public final class Desk: Sendable {
    public let home: ClientHome
    public let replica: Replica

    /// Read-write by default; `.readOnly` for the reading commands (status, list, show, search, next),
    /// which then work on a read-only folder and change nothing.
    public init(home: ClientHome, access: Replica.Access = .readWrite) throws {
        self.home = home
        replica = try home.openReplica(access: access)
    }

    public var isEnrolled: Bool { (try? replica.meta(.deviceToken)) != nil }

    func requireEnrolled() throws {
        guard isEnrolled else {
            throw HomeshoreError("not_enrolled", "This laptop is not enrolled (or was wiped); run `homeshore enroll TOKEN` with a token from your admin.")
        }
    }

    // MARK: Enrollment and sync

    public func enroll(token text: String, deviceName: String) async throws -> EnrollResponse {
        let token = try EnrollmentToken(decoding: text)
        if let agent = try replica.meta(.agent), let hub = try replica.meta(.hubURL) {
            throw HomeshoreError("already_enrolled", "This folder is already enrolled as \(agent) with \(hub); use another --home to enroll again.")
        }
        guard let url = URL(string: token.url), let host = url.host else {
            throw HomeshoreError("invalid_token", "The enrollment token names no hub host.")
        }
        let caPEM = try await PinnedCA.fetch(host: host, port: url.port ?? 443, fingerprint: token.fingerprint)
        let client = try HTTPSHubClient(baseURL: token.url, caPEM: caPEM, token: nil)
        let answer: EnrollResponse
        do {
            answer = try await client.enroll(EnrollRequest(secret: token.secret, deviceName: deviceName))
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
        try replica.setEnrollment(hubURL: token.url, caPEM: caPEM, answer: answer)
        try replica.recordEnrollment()
        return answer
    }

    public func transport() throws -> HTTPSHubClient {
        try requireEnrolled()
        guard let url = try replica.meta(.hubURL), let ca = try replica.meta(.caPEM), let token = try replica.meta(.deviceToken) else {
            throw HomeshoreError("not_enrolled", "This laptop's enrollment is incomplete; enroll again.")
        }
        return try HTTPSHubClient(baseURL: url, caPEM: ca, token: token)
    }

    public func sync(progress: (@Sendable (SyncSummary) -> Void)? = nil) async throws -> SyncSummary {
        let client = try transport()
        do {
            let summary = try await SyncEngine(replica: replica, transport: client).run(progress: progress)
            await client.shutdown()
            // The last sync on record says what a damaged replica would have lost (Replica+Damage).
            if !summary.wiped { try? replica.recordEnrollment() }
            return summary
        } catch {
            await client.shutdown()
            throw error
        }
    }

    // MARK: Recording work

    @discardableResult
    public func call(_ reference: String, outcome: String, durationSeconds: Int?, wrapUpSeconds: Int? = nil, note: String?, at: Date?,
                     now: Date = Date()) throws -> SyncOp {
        try record(checkCall(reference, outcome: outcome, durationSeconds: durationSeconds, wrapUpSeconds: wrapUpSeconds,
                             note: note, at: at, now: now))
    }

    @discardableResult
    public func note(_ reference: String, text: String, now: Date = Date()) throws -> SyncOp {
        try requireEnrolled()
        return try replica.record(kind: .note, dossierId: try replica.dossierId(reference: reference), payload: OpPayload(text: text), now: now)
    }

    @discardableResult
    public func contact(_ reference: String, phone: String?, email: String?, address: String?, now: Date = Date()) throws -> SyncOp {
        try requireEnrolled()
        let payload = OpPayload(phone: phone, email: email, address: address)
        return try replica.record(kind: .contact, dossierId: try replica.dossierId(reference: reference), payload: payload, now: now)
    }

    @discardableResult
    public func callback(_ reference: String, at: Date, now: Date = Date()) throws -> SyncOp {
        try requireEnrolled()
        guard at > now.addingTimeInterval(-60) else {
            throw HomeshoreError("callback_in_past", "The callback time \(Timestamp.string(from: at)) is in the past.")
        }
        let payload = OpPayload(at: Timestamp.string(from: at))
        return try replica.record(kind: .callback, dossierId: try replica.dossierId(reference: reference), payload: payload, now: now)
    }

    // MARK: Reading

    public struct Status: Sendable, Codable {
        public var agent: String?
        public var hub: String?
        public var lastSyncAt: String?
        public var queued: Int
        public var oldestQueuedAt: String?
        public var rejected: [RejectedOp]
        public var dossiers: Int

        /// Every key is always present (null when unknown), so scripts can rely on the shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(agent, forKey: .agent)
            try container.encode(hub, forKey: .hub)
            try container.encode(lastSyncAt, forKey: .lastSyncAt)
            try container.encode(queued, forKey: .queued)
            try container.encode(oldestQueuedAt, forKey: .oldestQueuedAt)
            try container.encode(rejected, forKey: .rejected)
            try container.encode(dossiers, forKey: .dossiers)
        }
    }

    public func status() throws -> Status {
        let backlog = try replica.queuedCount()
        return Status(agent: try replica.meta(.agent), hub: try replica.meta(.hubURL), lastSyncAt: try replica.meta(.lastSyncAt),
                      queued: backlog.count, oldestQueuedAt: backlog.oldest, rejected: try replica.rejected(),
                      dossiers: try replica.dossierCount())
    }
}

extension Replica {
    func setEnrollment(hubURL: String, caPEM: String, answer: EnrollResponse) throws {
        try write { db in
            try Self.setMeta(db, .hubURL, hubURL)
            try Self.setMeta(db, .caPEM, caPEM)
            try Self.setMeta(db, .deviceId, answer.deviceId)
            try Self.setMeta(db, .deviceToken, answer.deviceToken)
            try Self.setMeta(db, .agent, answer.agent)
            try Self.setMeta(db, .agentName, answer.agentName)
            try Self.setMeta(db, .cursor, "0")
        }
    }
}
