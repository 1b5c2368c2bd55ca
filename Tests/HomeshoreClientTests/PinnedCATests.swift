import AsyncHTTPClient
import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Hummingbird
import HummingbirdTLS
import NIOSSL
import ServiceLifecycle
import Testing

@Suite("PinnedCA over real TLS")
struct PinnedCATests {
    @Test func fetchWithRightFingerprintReturnsTheCA() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let fetched = try await TestHub.run(pki: pki) { port in
            try await PinnedCA.fetch(host: "127.0.0.1", port: port, fingerprint: pki.caFingerprint)
        }
        #expect(try HubPKI.fingerprint(ofPEM: fetched) == pki.caFingerprint)
        #expect(try HubPKI.fingerprint(ofPEM: fetched) == HubPKI.fingerprint(ofPEM: pki.caCertificatePEM))
    }

    @Test func fingerprintCompareIgnoresCase() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let fetched = try await TestHub.run(pki: pki) { port in
            try await PinnedCA.fetch(host: "localhost", port: port, fingerprint: pki.caFingerprint.uppercased())
        }
        #expect(try HubPKI.fingerprint(ofPEM: fetched) == pki.caFingerprint)
    }

    @Test func fetchWithWrongFingerprintIsRefused() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let other = try HubPKI.generate(hostnames: [])
        let error = try await TestHub.run(pki: pki) { port in
            await #expect(throws: HomeshoreError.self) {
                try await PinnedCA.fetch(host: "127.0.0.1", port: port, fingerprint: other.caFingerprint)
            }
        }
        #expect(error?.code == "certificate_mismatch")
        #expect(error?.message.contains("127.0.0.1:") == true)
    }

    #if os(Linux)
    // Linux routes all of 127/8 to loopback, so 127.0.0.2 reaches the hub but is not in its SANs.
    @Test func fetchByAddressOutsideTheCertificateIsRefused() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let error = try await TestHub.run(pki: pki, bindHost: "0.0.0.0") { port in
            await #expect(throws: HomeshoreError.self) {
                try await PinnedCA.fetch(host: "127.0.0.2", port: port, fingerprint: pki.caFingerprint)
            }
        }
        #expect(error?.code == "hostname_mismatch")
    }
    #endif

    @Test func fetchToClosedPortIsUnreachable() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        // A port that was just listening and is now closed.
        let port = try await TestHub.run(pki: pki) { port in port }
        let error = await #expect(throws: HomeshoreError.self) {
            // Refused at once; a long timeout keeps a loaded machine from turning it into a timeout.
            try await PinnedCA.fetch(host: "127.0.0.1", port: port, fingerprint: pki.caFingerprint, timeout: .seconds(60))
        }
        #expect(error?.code == "hub_unreachable")
        #expect(error?.message == "Cannot reach the hub at 127.0.0.1:\(port): connection refused.")
    }

    @Test func fetchFromPlainHTTPServerIsUnreachable() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let error = try await TestHub.run(pki: pki, tls: false) { port in
            await #expect(throws: HomeshoreError.self) {
                // The handshake fails at once; the long timeout only keeps a loaded machine from turning it into a timeout.
                try await PinnedCA.fetch(host: "127.0.0.1", port: port, fingerprint: pki.caFingerprint, timeout: .seconds(60))
            }
        }
        #expect(error?.code == "hub_unreachable")
        #expect(error?.message.contains("TLS handshake failed (WRONG_VERSION_NUMBER)") == true)
    }

    @Test func fetchFromSilentListenerTimesOut() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        // The message proves the deadline fired (a hang would never end the test); no timing bound,
        // since a loaded machine may take long to schedule the timer.
        let error = await #expect(throws: HomeshoreError.self) {
            try await PinnedCA.fetch(
                host: "127.0.0.1", port: listener.port, fingerprint: String(repeating: "0", count: 64),
                timeout: .milliseconds(500)
            )
        }
        #expect(error?.code == "hub_unreachable")
        #expect(error?.message.contains("no TLS handshake completed") == true)
    }

    @Test func fetchFromUnresolvableHostIsUnreachable() async throws {
        let error = await #expect(throws: HomeshoreError.self) {
            try await PinnedCA.fetch(
                host: "hub.homeshore.invalid", port: 8443, fingerprint: String(repeating: "0", count: 64),
                timeout: .seconds(30)
            )
        }
        #expect(error?.code == "hub_unreachable")
        #expect(error?.message.hasPrefix("Cannot reach the hub at hub.homeshore.invalid:8443: ") == true)
    }

    @Test func pinnedClientReachesHubByIPAndByName() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let tls = try PinnedCA.clientTLSConfiguration(caPEM: pki.caCertificatePEM)
        let statuses = try await TestHub.run(pki: pki) { port in
            try await withHTTPClient(tls) { client in
                var statuses: [UInt] = []
                for host in ["127.0.0.1", "localhost"] {
                    let response = try await client.execute(
                        HTTPClientRequest(url: "https://\(host):\(port)/healthz"),
                        // Reachability, not speed: a loaded CI machine must not turn it into a deadline.
                        timeout: .seconds(60)
                    )
                    statuses.append(response.status.code)
                    _ = try await response.body.collect(upTo: 1024)
                }
                return statuses
            }
        }
        #expect(statuses == [200, 200])
    }

    @Test func clientTrustingAnotherCAIsRefused() async throws {
        let pki = try HubPKI.generate(hostnames: [])
        let stranger = try HubPKI.generate(hostnames: [])
        let tls = try PinnedCA.clientTLSConfiguration(caPEM: stranger.caCertificatePEM)
        let failure: (any Error)? = try await TestHub.run(pki: pki) { port in
            try await withHTTPClient(tls) { client in
                do {
                    // AHC retries failed connections until the deadline, then reports the last TLS error.
                    _ = try await client.execute(
                        HTTPClientRequest(url: "https://127.0.0.1:\(port)/healthz"),
                        timeout: .seconds(10)
                    )
                    return nil
                } catch {
                    return error
                }
            }
        }
        let error = try #require(failure)
        // The handshake itself must be what fails, not e.g. a timeout.
        #expect(error is NIOSSLError, "unexpected error: \(error)")
        #expect("\(error)".contains("CERTIFICATE_VERIFY_FAILED"))
    }

    @Test func serverCertificateCoversRequestedNames() throws {
        let pki = try HubPKI.generate(hostnames: ["hub.example.test", "192.168.7.20", "fd00::7", "localhost"])
        let certificate = try NIOSSLCertificate(bytes: Array(pki.serverCertificatePEM.utf8), format: .pem)
        var dns: [String] = []
        var ips: [[UInt8]] = []
        for name in certificate._subjectAlternativeNames() {
            let bytes = name.contents.withUnsafeBufferPointer { Array($0) }
            if name.nameType == .dnsName { dns.append(String(decoding: bytes, as: UTF8.self)) }
            if name.nameType == .ipAddress { ips.append(bytes) }
        }
        #expect(dns.sorted() == ["hub.example.test", "localhost"])
        #expect(ips.contains([127, 0, 0, 1]))
        #expect(ips.contains([192, 168, 7, 20]))
        #expect(ips.contains([0xfd] + [UInt8](repeating: 0, count: 14) + [7]))
        #expect(ips.contains([UInt8](repeating: 0, count: 15) + [1]))
        #expect(ips.count == 4)
    }

    @Test func clientTLSConfigurationVerifiesFully() throws {
        let pki = try HubPKI.generate(hostnames: [])
        let tls = try PinnedCA.clientTLSConfiguration(caPEM: pki.caCertificatePEM)
        #expect(tls.certificateVerification == .fullVerification)
        #expect(tls.minimumTLSVersion == .tlsv12)
        #expect(tls.additionalTrustRoots.isEmpty)
        guard case .certificates(let roots)? = tls.trustRoots else {
            Issue.record("trust roots must be the pinned CA only")
            return
        }
        #expect(roots.count == 1)
        #expect(try Fingerprint.sha256Hex(der: roots[0].toDERBytes()) == pki.caFingerprint)
    }

    @Test func invalidCAPEMIsRejected() {
        let error = #expect(throws: HomeshoreError.self) {
            try PinnedCA.clientTLSConfiguration(caPEM: "not a certificate")
        }
        #expect(error?.code == "invalid_certificate")
    }
}

/// A TCP socket that completes connections in the kernel backlog but never answers: a hung hub.
private final class SilentListener: Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        struct SocketFailed: Error {}
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SocketFailed() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard ok else {
            _ = SilentListener.closeDescriptor(fd)
            throw SocketFailed()
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Self.closeDescriptor(descriptor) }

    private static func closeDescriptor(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }
}

/// Runs `body` with an HTTPClient and shuts it down on every path.
private func withHTTPClient<T: Sendable>(
    _ tls: TLSConfiguration,
    _ body: (HTTPClient) async throws -> T
) async throws -> T {
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    let result: Result<T, any Error>
    do {
        result = .success(try await body(client))
    } catch {
        result = .failure(error)
    }
    try await client.shutdown()
    return try result.get()
}

/// A real Hummingbird server (127.0.0.1 by default) on an ephemeral port, alive only while `body` runs.
enum TestHub {
    struct DidNotStart: Error {}

    static func run<T: Sendable>(
        pki: HubPKIMaterial,
        tls: Bool = true,
        bindHost: String = "127.0.0.1",
        _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        let router = Router()
        router.get("healthz") { _, _ in "ok" }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let configuration = ApplicationConfiguration(address: .hostname(bindHost, port: 0))
        let app = if tls {
            try Application(
                router: router,
                server: .tls(
                    .http1(),
                    tlsConfiguration: HubPKI.serverTLSConfiguration(
                        certificatePEM: pki.serverCertificatePEM,
                        caPEM: pki.caCertificatePEM,
                        keyPEM: pki.serverKeyPEM
                    )
                ),
                configuration: configuration,
                onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }
            )
        } else {
            Application(router: router, configuration: configuration, onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        }
        // Graceful shutdown (not task cancellation) so the server closes quietly after each test.
        let services = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ends the port stream too if the server never comes up.
                defer { continuation.finish() }
                try await services.run()
            }
            var iterator = ports.makeAsyncIterator()
            let outcome: Result<T, any Error>
            if let port = await iterator.next(), port > 0 {
                do {
                    outcome = .success(try await body(port))
                } catch {
                    outcome = .failure(error)
                }
            } else {
                outcome = .failure(DidNotStart())
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try outcome.get()
        }
    }
}
