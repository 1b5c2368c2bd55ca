import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct EnrollmentTests {
    func enroll(_ client: some TestClientProtocol, secret: String) async throws -> (HTTPResponse.Status, HomeshoreError?, EnrollResponse?) {
        let body = ByteBuffer(bytes: try WireJSON.encode(EnrollRequest(secret: secret, deviceName: "laptop")))
        return try await client.execute(uri: "/v1/enroll", method: .post, headers: [.contentType: "application/json"], body: body) { response in
            let data = Data(response.body.readableBytesView)
            return (response.status, try? WireJSON.decode(ErrorBody.self, from: data).error, try? WireJSON.decode(EnrollResponse.self, from: data))
        }
    }

    @Test func aSecretWorksOnceAndTheTokenIsStoredHashed() async throws {
        let hub = try HubFixture()
        try await hub.ensureAgent("alice")
        let secret = Secrets.randomToken()
        try await hub.store.createEnrollment(login: "alice", secretHash: Secrets.hash(secret), expiresAt: hub.clock.addingTimeInterval(72 * 3600), now: hub.clock)
        try await hub.app().test(.router) { client in
            let (status, _, answer) = try await enroll(client, secret: secret)
            #expect(status == .ok)
            let token = try #require(answer?.deviceToken)
            #expect(Base64URL.decode(token)?.count == 32)
            let (again, error, _) = try await enroll(client, secret: secret)
            #expect(again == .unauthorized && error?.code == "secret_used")
            // The device token works for sync, and the hub's file never holds it in clear.
            let sync = ByteBuffer(bytes: try WireJSON.encode(SyncRequest(cursor: 0, ops: [])))
            let (syncStatus, _) = try await client.post("/v1/sync", body: sync, headers: [.authorization: "Bearer \(token)"])
            #expect(syncStatus == .ok)
            let file = try Data(contentsOf: hub.folder.appendingPathComponent("hub.sqlite"))
            #expect(file.range(of: Data(token.utf8)) == nil)
            #expect(file.range(of: Data(secret.utf8)) == nil)
        }
    }

    @Test func anExpiredSecretIsRefused() async throws {
        let hub = try HubFixture()
        try await hub.ensureAgent("alice")
        let secret = Secrets.randomToken()
        try await hub.store.createEnrollment(login: "alice", secretHash: Secrets.hash(secret), expiresAt: hub.clock.addingTimeInterval(72 * 3600), now: hub.clock)
        hub.clock = hub.clock.addingTimeInterval(73 * 3600)
        try await hub.app().test(.router) { client in
            let (status, error, _) = try await enroll(client, secret: secret)
            #expect(status == .unauthorized && error?.code == "secret_expired")
        }
    }

    @Test func failedAttemptsAreRateLimited() async throws {
        let hub = try HubFixture()
        try await hub.ensureAgent("alice")
        let secret = Secrets.randomToken()
        try await hub.store.createEnrollment(login: "alice", secretHash: Secrets.hash(secret), expiresAt: hub.clock.addingTimeInterval(3600), now: hub.clock)
        try await hub.app().test(.router) { client in
            for _ in 0..<10 {
                let (status, error, _) = try await enroll(client, secret: "guess-\(UUID())")
                #expect(status == .unauthorized && error?.code == "invalid_secret")
            }
            // Even the right secret waits now: guessing is not worth it.
            let (status, error, _) = try await enroll(client, secret: secret)
            #expect(status == .tooManyRequests && error?.code == "rate_limited")
        }
    }

    @Test func tokensCarryTheHubAndPinAndRoundTrip() throws {
        let token = EnrollmentToken(url: "https://hub.example.fr:8443", fingerprint: String(repeating: "ab", count: 32), secret: "s3cret")
        #expect(token.encoded.hasPrefix("hs1."))
        #expect(try EnrollmentToken(decoding: token.encoded) == token)
        #expect(throws: HomeshoreError.self) { try EnrollmentToken(decoding: "hs1.garbage") }
        #expect(throws: HomeshoreError.self) { try EnrollmentToken(decoding: "abc") }
        let plain = EnrollmentToken(url: "http://hub.example.fr", fingerprint: String(repeating: "ab", count: 32), secret: "s").encoded
        #expect(throws: HomeshoreError.self) { try EnrollmentToken(decoding: plain) }
    }
}
