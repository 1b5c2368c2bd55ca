import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A real hub store in a temporary SQLite file, with the HTTP app over it (no TLS: router tests).
final class HubFixture: @unchecked Sendable {
    let folder: URL
    let store: SQLiteHubStore
    var clock: Date

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteHubStore(path: folder.appendingPathComponent("hub.sqlite").path)
        clock = Date()
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func app(pageSize: Int = Limits.pageDossiers) throws -> some ApplicationProtocol {
        try buildApplication(store: store, options: HubServerOptions(tls: nil, pageSize: pageSize, now: { [unowned self] in self.clock }))
    }

    /// An agent with one enrolled device; returns the device's bearer token.
    func agentWithDevice(_ login: String) async throws -> String {
        try await ensureAgent(login)
        let secret = Secrets.randomToken()
        // The laptop was enrolled long before the work the tests record on it (the hub refuses ops
        // recorded before a device's enrollment): on a fixed day, so that no test depends on when it runs.
        let enrolledAt = Date(timeIntervalSince1970: 1_262_304_000)  // 2010-01-01T00:00:00Z
        try await store.createEnrollment(login: login, secretHash: Secrets.hash(secret), expiresAt: clock.addingTimeInterval(3600), now: enrolledAt)
        let token = Secrets.randomToken()
        _ = try await store.redeemEnrollment(secretHash: Secrets.hash(secret), deviceId: UUID().uuidString.lowercased(),
                                             deviceName: "laptop", tokenHash: Secrets.hash(token), now: enrolledAt)
        return token
    }

    /// `count` generated dossiers in portfolio P, references D-000001…
    func importSample(count: Int, portfolio: String = "P") async throws {
        let rows = try DossierCSV.parse(string: SampleDossiers.csv(count: count, seed: 3)).rows
        _ = try await store.importDossiers(portfolio: portfolio, rows: rows, now: clock, progress: nil)
    }

    /// An agent holding these dossiers, with one enrolled device; returns its bearer token.
    func deviceHolding(_ refs: [String], for login: String) async throws -> String {
        try await assign(refs, to: login)
        return try await agentWithDevice(login)
    }

    func ensureAgent(_ login: String) async throws {
        if try await store.agent(login: login) == nil {
            _ = try await store.createAgent(NewAgent(login: login, name: login.capitalized), now: clock)
        }
    }

    func assign(_ refs: [String], to login: String?) async throws {
        if let login { try await ensureAgent(login) }
        _ = try await store.assign(refs.map { DossierKey(portfolio: nil, reference: $0) }, to: login, now: clock)
    }

    func dossierId(_ ref: String) async throws -> String {
        try await store.dossier(DossierKey(portfolio: nil, reference: ref)).dossier.id
    }

    static func refs(_ range: ClosedRange<Int>) -> [String] { range.map { String(format: "D-%06d", $0) } }
}

/// Builds ops the way a client would.
struct OpFactory {
    let node = UUID().uuidString.lowercased()
    var seq: Int64 = 0
    var clock: HybridLogicalClock

    init() { clock = HybridLogicalClock(node: node) }

    mutating func make(_ kind: String, dossier: String, payload: OpPayload, at: Date = Date()) -> SyncOp {
        seq += 1
        return SyncOp(id: UUID().uuidString.lowercased(), deviceSeq: seq, kind: kind, dossierId: dossier,
                      recordedAt: Timestamp.string(from: at), hlc: clock.tick(now: at).description, payload: payload)
    }
}

extension TestClientProtocol {
    /// POSTs a sync request as JSON and decodes the answer, expecting 200.
    func sync(_ request: SyncRequest, token: String) async throws -> SyncResponse {
        try await execute(uri: "/v1/sync", method: .post,
                          headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                          body: ByteBuffer(bytes: try WireJSON.encode(request))) { response in
            guard response.status == .ok else {
                throw HomeshoreError("test", "sync answered \(response.status): \(String(buffer: response.body))")
            }
            return try WireJSON.decode(SyncResponse.self, from: Data(response.body.readableBytesView))
        }
    }

    /// POSTs raw bytes and returns status and decoded error body, if any.
    func post(_ uri: String, body: ByteBuffer, headers: HTTPFields) async throws -> (HTTPResponse.Status, HomeshoreError?) {
        try await execute(uri: uri, method: .post, headers: headers, body: body) { response in
            (response.status, try? WireJSON.decode(ErrorBody.self, from: Data(response.body.readableBytesView)).error)
        }
    }
}
