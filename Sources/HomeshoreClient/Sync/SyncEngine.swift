import Foundation
import HomeshoreCore

public struct SyncSummary: Sendable, Equatable {
    public var requests = 0
    public var sent = 0
    public var rejected = 0
    public var received = 0
    public var removed = 0
    public var wiped = false
}

/// Pushes the outbox oldest first and pulls pages until the hub has nothing more and the outbox is
/// empty. Each answer is applied in one local transaction, so an interrupted sync resumes safely.
public struct SyncEngine: Sendable {
    public static let batchSize = 200
    let replica: Replica
    let transport: any SyncTransport

    public init(replica: Replica, transport: any SyncTransport) {
        self.replica = replica
        self.transport = transport
    }

    public func run(progress: (@Sendable (SyncSummary) -> Void)? = nil) async throws -> SyncSummary {
        var summary = SyncSummary()
        while true {
            // One more than a batch tells whether anything stays queued after it, and since when.
            let window = try replica.queued(limit: Self.batchSize + 1).map(\.op)
            let batch = Array(window.prefix(Self.batchSize))
            let beyond = try replica.queuedCount().count - batch.count
            let request = SyncRequest(cursor: try replica.cursor, ops: batch, queued: beyond,
                                      oldestQueuedAt: beyond > 0 ? window.last?.recordedAt : nil)
            let page: PulledPage
            do {
                page = try await transport.pull(request)
            } catch let error as HomeshoreError where error.code == "device_revoked" || error.code == "device_retired" {
                // Retired: the hub refuses the token only once it committed the last batch this
                // laptop had to send (with the answer telling it to wipe, which may have been lost).
                try replica.wipe()
                throw error
            }
            let response = page.response
            try replica.apply(response, raw: page.raw)
            summary.requests += 1
            summary.sent += response.results.filter { $0.status != .rejected }.count
            summary.rejected += response.results.filter { $0.status == .rejected }.count
            summary.received += response.upserts.count
            summary.removed += response.removals.count
            progress?(summary)
            let remaining = try replica.queuedCount().count
            if response.wipe && remaining == 0 {
                try replica.wipe()
                summary.wiped = true
                return summary
            }
            let madeProgress = !response.results.isEmpty || batch.isEmpty
            if (!response.more && remaining == 0) || !madeProgress { return summary }
        }
    }
}
