#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HomeshoreCore
import NIOCore
import NIOPosix
import NIOSSL

/// Trust-on-enrollment: the enrollment token carries the hub CA's fingerprint, the client fetches the CA
/// from the hub's own TLS handshake, and from then on trusts that CA and nothing else.
public enum PinnedCA {
    /// Returns the PEM of the certificate in the hub's presented chain whose SHA-256 DER fingerprint is
    /// `fingerprint`. Sends no application data: nothing is said to a hub before it is trusted.
    public static func fetch(
        host: String,
        port: Int,
        fingerprint: String,
        timeout: TimeAmount = .seconds(10)
    ) async throws -> String {
        let endpoint = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        // The custom callback below replaces chain validation with the pin check; it only runs
        // when verification is on, and hostname validation still applies after it.
        configuration.certificateVerification = .fullVerification
        configuration.trustRoots = .certificates([])
        // Closing is a courtesy close_notify; a peer that never answers it must not hold enrollment up.
        configuration.shutdownTimeout = .seconds(2)
        let sslContext: NIOSSLContext
        do {
            sslContext = try NIOSSLContext(configuration: configuration)
        } catch {
            throw HomeshoreError(
                "tls_setup_failed",
                "This client could not set up TLS (\(error)); reinstall the client and try again."
            )
        }
        // SNI must not carry IP literals; NIOSSL then checks IP SANs against the peer address instead.
        let serverName = isIPLiteral(host) ? nil : host

        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let result = loop.makePromise(of: String.self)
        let connect = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let capture = PinCaptureHandler(
                        fingerprint: fingerprint, endpoint: endpoint, timeout: timeout, result: result
                    )
                    let tls = try NIOSSLClientHandler(
                        context: sslContext,
                        serverHostname: serverName,
                        customVerificationCallback: capture.verify
                    )
                    try channel.pipeline.syncOperations.addHandlers(tls, capture)
                }
            }
            .connect(host: host, port: port)
        connect.whenFailure { error in
            result.fail(unreachable(endpoint, describe(connectError: error)))
        }

        let outcome: Result<String, any Error>
        do {
            outcome = .success(try await result.futureResult.get())
        } catch {
            outcome = .failure(error)
        }
        if let channel = try? await connect.get() {
            try? await channel.close()
        }
        return try outcome.get()
    }

    public static func clientTLSConfiguration(caPEM: String) throws -> TLSConfiguration {
        let ca: NIOSSLCertificate
        do {
            ca = try NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem)
        } catch {
            throw HomeshoreError(
                "invalid_certificate",
                "The stored hub CA certificate is not a readable PEM certificate; enroll this client again."
            )
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        configuration.trustRoots = .certificates([ca])
        configuration.additionalTrustRoots = []
        return configuration
    }

    static func unreachable(_ endpoint: String, _ reason: String) -> HomeshoreError {
        HomeshoreError("hub_unreachable", "Cannot reach the hub at \(endpoint): \(reason).")
    }

    static func describe(connectError error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first {
                return describe(connectError: first.error)
            }
            return "the hostname could not be resolved"
        case ChannelError.connectTimeout:
            return "the connection timed out"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        default:
            return "\(error)"
        }
    }

    static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
