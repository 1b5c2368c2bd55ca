import Foundation
@testable import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import NIOSSL
import Testing

/// Issue 9, point 2: a connection closed, reset or garbled during the TLS handshake is "the hub is
/// unreachable" (exit 3, work stays queued, `sync --watch` retries), never "wrong certificate";
/// only a chain the pinned CA does not vouch for is a trust failure. Against real loopback peers.
@Suite("Transport failures over real sockets")
struct TransportFailureTests {
    /// One sync request through the real pinned HTTPS transport; the error it ends with.
    static func syncError(port: Int, caPEM: String) async throws -> HomeshoreError? {
        let client = try HTTPSHubClient(baseURL: "https://127.0.0.1:\(port)", caPEM: caPEM, token: "t")
        let result: Result<HomeshoreError?, any Error>
        do {
            _ = try await client.sync(SyncRequest(cursor: 0, ops: []))
            result = .success(nil)
        } catch let error as HomeshoreError {
            result = .success(error)
        } catch {
            result = .failure(error)
        }
        await client.shutdown()
        return try result.get()
    }

    @Test func aConnectionClosedDuringTheHandshakeIsUnreachable() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let peer = try BrokenPeer(.closeAfterHello)
        defer { peer.stop() }
        let error = try #require(try await Self.syncError(port: peer.port, caPEM: pki.caCertificatePEM))
        #expect(peer.connections >= 1, "the peer never saw the client")
        #expect(error.code == "hub_unreachable", "\(error.code): \(error.message)")
        #expect(error.message.hasPrefix("Cannot reach the hub at https://127.0.0.1:\(peer.port)"), "\(error.message)")
        #expect(error.message.contains("closed"), "\(error.message)")
        #expect(!error.message.contains("certificate"), "\(error.message)")
    }

    @Test func aConnectionResetDuringTheHandshakeIsUnreachable() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let peer = try BrokenPeer(.resetAfterHello)
        defer { peer.stop() }
        let error = try #require(try await Self.syncError(port: peer.port, caPEM: pki.caCertificatePEM))
        #expect(error.code == "hub_unreachable", "\(error.code): \(error.message)")
        #expect(!error.message.contains("certificate"), "\(error.message)")
    }

    @Test func aPeerAnsweringGarbageIsUnreachable() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let peer = try BrokenPeer(.garbage)
        defer { peer.stop() }
        let error = try #require(try await Self.syncError(port: peer.port, caPEM: pki.caCertificatePEM))
        #expect(error.code == "hub_unreachable", "\(error.code): \(error.message)")
        #expect(error.message.contains("TLS handshake failed"), "\(error.message)")
        #expect(!error.message.contains("certificate"), "\(error.message)")
    }

    /// The real hub's handshake, cut after a few bytes of its answer: inside the record header,
    /// inside the ServerHello, inside the certificate chain.
    @Test(arguments: [1, 5, 60, 400, 1200])
    func aRealHandshakeCutMidwayIsUnreachable(cutAfter: Int) async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let error = try await TestHub.run(pki: pki) { port in
            let relay = try BrokenPeer(.relay(port: port, cutAfter: cutAfter))
            defer { relay.stop() }
            return try await Self.syncError(port: relay.port, caPEM: pki.caCertificatePEM)
        }
        let failure = try #require(error)
        #expect(failure.code == "hub_unreachable", "cut after \(cutAfter) bytes: \(failure.code): \(failure.message)")
        #expect(!failure.message.contains("certificate"), "\(failure.message)")
    }

    @Test func aHubWhoseCertificateThePinnedCADoesNotVouchForIsStillRefusedAsSuch() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let stranger = try HubPKI.generate(hostnames: [])
        let error = try await TestHub.run(pki: pki) { port in
            try await Self.syncError(port: port, caPEM: stranger.caCertificatePEM)
        }
        let failure = try #require(error)
        #expect(failure.code == "tls_failed")
        #expect(failure.message.contains("certificate is not the one pinned at enrollment (CERTIFICATE_VERIFY_FAILED)"), "\(failure.message)")
    }

    /// The exact errors NIOSSL raises for a cut line, as the probe saw them.
    @Test func theErrorsOfACutLineAreNotCertificateErrors() {
        let eof = HTTPSHubClient.failure(NIOSSLError.handshakeFailed(.sslError([.eofDuringHandshake])), baseURL: "https://hub:8443")
        #expect(eof.code == "hub_unreachable")
        #expect(eof.message == "Cannot reach the hub at https://hub:8443 (the connection was closed during the TLS handshake).")
        #expect(HTTPSHubClient.failure(NIOSSLError.uncleanShutdown, baseURL: "https://hub:8443").code == "hub_unreachable")
        #expect(HTTPSHubClient.failure(NIOSSLError.handshakeFailed(.syscallError), baseURL: "https://hub:8443").code == "hub_unreachable")
        #expect(HTTPSHubClient.failure(NIOSSLError.handshakeFailed(.zeroReturn), baseURL: "https://hub:8443").code == "hub_unreachable")
        #expect(HTTPSHubClient.failure(NIOSSLExtraError.failedToValidateHostname, baseURL: "https://hub:8443").code == "tls_failed")
    }

    @Test func aDeskSyncingThroughACutLineKeepsItsWorkQueued() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 1)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(["D-000001"], to: "alice")
            _ = try await alice.sync()
            try alice.note("D-000001", text: "noted on a bad line")
            let peer = try BrokenPeer(.closeAfterHello)
            defer { peer.stop() }
            try alice.replica.setMeta(.hubURL, "https://localhost:\(peer.port)")
            let error = await #expect(throws: HomeshoreError.self) { _ = try await alice.sync() }
            #expect(error?.code == "hub_unreachable", "\(error?.message ?? "")")
            #expect(try alice.replica.queuedCount().count == 1)
        }
    }
}
