import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import ServiceLifecycle
import Testing

/// The hub's listener against clients that misbehave at the connection level: broken framing,
/// silence, half a request, and TLS clients offering weak suites. Each runs a real server on loopback.
@Suite(.serialized)
struct ConnectionHardeningTests {
    @Test func brokenChunkedFramingIsABadRequestNotAServerError() async throws {
        try await withServer(tls: false) { port, metrics in
            let connection = try RawConnection(port: port)
            connection.send("POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
            let (answer, closed) = connection.readUntilClosed(limit: 60)
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(200))")
            #expect(closed)
            #expect(!String(decoding: metrics.exposition(), as: UTF8.self).contains("status=\"500\""))
        }
    }

    @Test(arguments: [
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\u{0}b\r\n\r\n",
        "POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n",
        "POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
        "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\r\n\r\n",
    ])
    func aRequestTheParserRefusesGetsTheErrorShape(_ request: String) async throws {
        try await withServer(tls: false) { port, _ in
            let connection = try RawConnection(port: port)
            connection.send(request)
            let (answer, closed) = connection.readUntilClosed(limit: 60)
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(200))")
            #expect(answer.contains(#"{"error":{"code":"malformed_request","message":"#), "\(answer)")
            #expect(closed)
        }
    }

    @Test(arguments: [
        ("a silent connection", ""),
        ("half a header", "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-"),
        ("half a body", "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"cursor\":"),
    ])
    func aConnectionThatStopsSendingIsClosed(what: String, sent: String) async throws {
        try await withServer(tls: false, timeouts: .seconds(1)) { port, _ in
            let connection = try RawConnection(port: port)
            if !sent.isEmpty { connection.send(sent) }
            let (_, closed) = connection.readUntilClosed(limit: 20)
            #expect(closed, "\(what) stays open")
        }
    }

    @Test func aTLSConnectionThatNeverSpeaksIsClosed() async throws {
        try await withServer(tls: true, timeouts: .seconds(1)) { port, _ in
            let connection = try RawConnection(port: port)
            // The first bytes of a TLS record header, then nothing.
            connection.send("\u{16}\u{03}")
            let (_, closed) = connection.readUntilClosed(limit: 20)
            #expect(closed)
        }
    }

    @Test func tls12OffersOnlyAEADSuites() async throws {
        try await withServer(tls: true) { port, _ in
            let cbc: [NIOTLSCipher] = [.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
                                       .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
                                       .TLS_RSA_WITH_AES_128_CBC_SHA, .TLS_RSA_WITH_AES_256_CBC_SHA]
            for suite in cbc {
                #expect(await handshake(port: port, suites: [suite]) == false, "\(suite) accepted")
            }
            #expect(await handshake(port: port, suites: HubPKI.aeadSuites))
        }
    }

    // MARK: - A live hub

    private static let pki = Result { try HubPKI.generate(hostnames: ["127.0.0.1"]) }

    private func withServer(tls: Bool, timeouts: TimeAmount? = nil,
                            _ body: (Int, OperationsMetrics) async throws -> Void) async throws {
        let pki = try Self.pki.get()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteHubStore(path: folder.appendingPathComponent("hub.sqlite").path)
        let (started, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "conn-test")
        logger.logLevel = .critical
        var options = HubServerOptions(
            host: "127.0.0.1", port: 0,
            tls: tls ? try HubPKI.serverTLSConfiguration(certificatePEM: pki.serverCertificatePEM, caPEM: pki.caCertificatePEM,
                                                         keyPEM: pki.serverKeyPEM) : nil,
            logger: logger, onServerRunning: { continuation.yield($0) })
        if let timeouts {
            options.idleTimeout = timeouts
            options.bodyTimeout = timeouts
        }
        let metrics = options.metrics
        let app = try buildApplication(store: store, options: options)
        // The stream ends with the service, so a hub that cannot listen fails the test instead of hanging it.
        let task = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        defer { task.cancel() }
        var port = 0
        for await bound in started { port = bound; break }
        guard port > 0 else {
            try await task.value
            throw HubDidNotListen()
        }
        try await body(port, metrics)
        task.cancel()
        _ = await task.result
    }

    /// Whether a TLS 1.2 client offering only `suites` completes a handshake with the hub.
    private func handshake(port: Int, suites: [NIOTLSCipher]) async -> Bool {
        do {
            let pki = try Self.pki.get()
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.maximumTLSVersion = .tlsv12
            configuration.cipherSuiteValues = suites
            configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(pki.caCertificatePEM.utf8), format: .pem)])
            let context = try NIOSSLContext(configuration: configuration)
            let done = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Void.self)
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers(
                            try NIOSSLClientHandler(context: context, serverHostname: nil), HandshakeWatcher(done: done))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            defer { channel.close(promise: nil) }
            try await done.futureResult.get()
            return true
        } catch {
            return false
        }
    }
}

/// Completes when the TLS handshake does, fails when the connection errors or closes first.
private final class HandshakeWatcher: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) { self.done = done }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { done.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(ChannelError.eof)
    }
}

struct HubDidNotListen: Error, CustomStringConvertible {
    var description: String { "The hub stopped before it listened." }
}
