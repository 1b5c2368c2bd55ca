import Foundation
import HomeshoreCore
import Hummingbird
import Logging
import NIOCore

/// `homeshore-hub serve`: HTTPS only, until SIGTERM or SIGINT. Shutdown lets requests in flight
/// finish; a sync batch is one transaction, so none is ever half applied.
public enum HubServer {
    public static func run(dir: HubDataDir, listen: String?, logger: Logger = Logger(label: "homeshore-hub")) async throws {
        let config = try dir.loadConfig()
        let (host, port) = try parseListen(listen ?? config.listen)
        let tls = try HubPKI.serverTLSConfiguration(
            certificatePEM: try dir.read(dir.serverCertificate), caPEM: try dir.read(dir.caCertificate),
            keyPEM: try dir.read(dir.serverKey))
        let store = try dir.openStore()
        var options = HubServerOptions(host: host, port: port, tls: tls, logger: logger, onServerRunning: { port in
            print("homeshore-hub listening on https://\(host):\(port) (public URL \(config.publicURL))")
            fflush(nil)
        })
        options.silentAfter = config.silentAfter
        options.services = [SettlementService(store: store, interval: .seconds(600), metricsRetentionDays: config.metricsRetentionDays, logger: logger)]
        let app = try buildApplication(store: store, options: options)
        do {
            try await app.runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw HomeshoreError("address_in_use", "\(host):\(port) is already in use (another hub?); stop it or choose another address with --listen.")
        } catch let error as IOError where error.errnoCode == EACCES {
            throw HomeshoreError("address_forbidden", "Not allowed to listen on \(host):\(port); ports below 1024 need privileges.")
        }
    }

    public static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw HomeshoreError("invalid_listen", "--listen must be HOST:PORT, like 0.0.0.0:8443, not \"\(text)\".")
        }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
