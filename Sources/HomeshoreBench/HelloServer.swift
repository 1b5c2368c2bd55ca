import Foundation
import Hummingbird
import HummingbirdTLS
import HomeshoreHub
import Logging

/// The transport's own ceiling: one Hummingbird route answering "hello" over the hub's TLS
/// configuration and certificates, so the load figures can be read against it.
public enum HelloServer {
    public static func run(data: String, host: String, port: Int) async throws {
        let dir = HubDataDir(data)
        func file(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
        let tls = try HubPKI.serverTLSConfiguration(certificatePEM: try file(dir.serverCertificate),
                                                    caPEM: try file(dir.caCertificate), keyPEM: try file(dir.serverKey))
        let router = Router()
        router.get("/hello") { _, _ in "hello\n" }
        var logger = Logger(label: "homeshore-bench-hello")
        logger.logLevel = .warning
        let app = Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls),
                              configuration: .init(address: .hostname(host, port: port), serverName: "hello"), logger: logger)
        try await app.runService()
    }
}
