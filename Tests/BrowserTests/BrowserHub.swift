import AsyncHTTPClient
import Crypto
import Foundation
import HomeshoreCore
import HomeshoreHub
import Hummingbird
import Logging
import NIOSSL
import ServiceLifecycle
import SwiftASN1
import X509

/// A real hub in this process, as `homeshore-hub init` + `serve` make it: its own private CA, HTTPS
/// on a loopback port the system picks.
final class BrowserHub: @unchecked Sendable {
    let folder: URL
    let dir: HubDataDir
    let admin: HubAdmin
    private(set) var port = 0
    private var task: Task<Void, any Error>?
    private var services: ServiceGroup?

    var store: any HubStore { admin.store }
    /// 127.0.0.1 rather than localhost: one address, no IPv6 attempt first; it is in the certificate.
    var origin: String { "https://127.0.0.1:\(port)" }

    private init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("browser-hub-\(UUID().uuidString)")
        dir = HubDataDir(folder.appendingPathComponent("hub").path)
        _ = try HubInitializer.initialise(dir, publicURL: nil, hostnames: [])
        admin = try HubAdmin(dir: dir)
    }

    /// Runs `body` with a fresh hub, listening; the hub and its folder are removed afterwards.
    static func run<T: Sendable>(_ body: (BrowserHub) async throws -> T) async throws -> T {
        let hub = try BrowserHub()
        do {
            try await hub.start()
            let result = try await body(hub)
            await hub.stop()
            return result
        } catch {
            await hub.stop()
            throw error
        }
    }

    private func start() async throws {
        let tls = try HubPKI.serverTLSConfiguration(
            certificatePEM: String(contentsOfFile: dir.serverCertificate, encoding: .utf8),
            caPEM: String(contentsOfFile: dir.caCertificate, encoding: .utf8),
            keyPEM: String(contentsOfFile: dir.serverKey, encoding: .utf8))
        let (started, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "browser-hub")
        logger.logLevel = .warning
        let app = try buildApplication(store: store, options: HubServerOptions(
            host: "127.0.0.1", port: 0, tls: tls, logger: logger, onServerRunning: { continuation.yield($0) }))
        // A service group rather than task cancellation: the hub closes the way SIGTERM closes it.
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        self.services = services
        task = Task {
            defer { continuation.finish() }
            try await services.run()
        }
        let task = task
        port = try await withTimeout(.seconds(60), "the hub to listen") {
            for await port in started { return port }
            _ = try await task?.value
            throw BrowserTestError(description: "The hub stopped before listening.")
        }
    }

    private func stop() async {
        await services?.triggerGracefulShutdown()
        if (try? await withTimeout(.seconds(30), "the hub to stop", { [task] in _ = await task?.result })) == nil {
            task?.cancel()
            _ = await task?.result
        }
        task = nil
        try? FileManager.default.removeItem(at: folder)
    }

    /// What Chromium's `--ignore-certificate-errors-spki-list` takes: base64 of the SHA-256 of the
    /// server certificate's SubjectPublicKeyInfo (DER). It trusts this key only, not the hub's CA.
    func spkiPin() throws -> String {
        let certificate = try Certificate(pemEncoded: String(contentsOfFile: dir.serverCertificate, encoding: .utf8))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate.publicKey)
        return Data(SHA256.hash(data: serializer.serializedBytes)).base64EncodedString()
    }

    /// GETs each path as the browser would with its session `cookie`, trusting the hub's CA, and
    /// returns each one's status (redirects are not followed; 0 when the request failed outright).
    func statuses(of paths: [String], cookie: String) async throws -> [String: Int] {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(dir.caCertificate))
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var statuses: [String: Int] = [:]
        for path in paths {
            var request = HTTPClientRequest(url: origin + path)
            request.headers.add(name: "Cookie", value: cookie)
            statuses[path] = (try? await client.execute(request, timeout: .seconds(60)).status.code).map { Int($0) } ?? 0
        }
        try await client.shutdown()
        return statuses
    }
}
