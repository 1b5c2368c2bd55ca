import Foundation
import HomeshoreCore
import Hummingbird
import NIOCore

/// `POST /v1/sync`: applies the device's batch, then returns one bounded page of its scope's changes.
struct SyncController {
    let store: any HubStore
    let pageSize: Int
    let now: @Sendable () -> Date
    let metrics: OperationsMetrics

    func register(on router: Router<HubRequestContext>) {
        router.post("/v1/sync") { request, _ -> Response in
            // Successful syncs only: a fast 401 or a refused batch would drag the latency figures down.
            let start = ContinuousClock.now
            let response = try await sync(request)
            metrics.syncDuration.record(ContinuousClock.now - start)
            return response
        }
    }

    private func sync(_ request: Request) async throws -> Response {
        let device = try await DeviceAuthenticator(store: store).device(for: request)
        let body = try await JSONBody.decode(SyncRequest.self, from: request)
        guard body.cursor >= 0 else { throw HomeshoreError("invalid_cursor", "The cursor must not be negative.") }
        guard body.ops.count <= Limits.maxOpsPerBatch else {
            throw HomeshoreError("too_many_ops", "A batch holds at most \(Limits.maxOpsPerBatch) ops; this one has \(body.ops.count).")
        }
        let results = try await store.push(body.ops.map(\.normalised), from: device, queued: body.queued.map { max(0, $0) },
                                           oldestQueuedAt: body.oldestQueuedAt.flatMap(Timestamp.canonical), now: now())
        // Counted as soon as committed: a later failure of the pull does not undo the merge.
        metrics.countOps(results)
        let stamp = Timestamp.string(from: now())
        if device.isRetired {
            return try JSONBody.response(SyncResponse(results: results, removals: [], upserts: [], cursor: body.cursor,
                                                      more: false, wipe: true, agent: device.login, hubTime: stamp), for: request)
        }
        try await store.housekeeping(agentId: device.agentId, now: now())
        _ = try await store.handOut(agentId: device.agentId, now: now())
        let page = try await store.pull(agentId: device.agentId, after: body.cursor, limit: pageSize)
        let json = try SyncResponseJSON.encode(results: results, page: page, wipe: false, agent: device.login, hubTime: stamp)
        return try JSONBody.response(json: ByteBuffer(bytes: json), for: request)
    }
}

struct DeviceAuthenticator {
    let store: any HubStore

    func device(for request: Request) async throws -> DeviceAuth {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw HomeshoreError("missing_token", "This request needs a device token (Authorization: Bearer …).")
        }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.count <= 200, let device = try await store.authenticate(tokenHash: Secrets.hash(token)) else {
            throw HomeshoreError("invalid_token", "The device token is not known to the hub; enroll the device again.")
        }
        guard !device.isRevoked else {
            throw HomeshoreError("device_revoked", "This device has been revoked; its local data must be wiped.")
        }
        return device
    }
}
