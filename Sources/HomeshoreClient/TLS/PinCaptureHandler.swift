import Foundation
import HomeshoreCore
import NIOCore
import NIOSSL
import NIOTLS

/// Lives behind the TLS handler for one enrollment connection. It judges the presented chain against
/// the pinned fingerprint and completes `result` exactly once: with the CA PEM after a finished
/// handshake, or with a HomeshoreError.
final class PinCaptureHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let fingerprint: String
    private let endpoint: String
    private let timeout: TimeAmount
    private let result: EventLoopPromise<String>
    private var matchedPEM: String?
    private var done = false
    /// Happy eyeballs may try several addresses with one handler each; only a connected one may speak
    /// for the fetch, failed attempts are reported by the connect future.
    private var active = false
    private var timer: Scheduled<Void>?

    init(fingerprint: String, endpoint: String, timeout: TimeAmount, result: EventLoopPromise<String>) {
        self.fingerprint = fingerprint.lowercased()
        self.endpoint = endpoint
        self.timeout = timeout
        self.result = result
    }

    /// The custom verification callback: the chain is trusted only because it carries the pinned CA.
    func verify(_ chain: [NIOSSLCertificate], _ verdict: EventLoopPromise<NIOSSLVerificationResult>) {
        for certificate in chain {
            guard let der = try? certificate.toDERBytes() else { continue }
            if Fingerprint.sha256Hex(der: der) == fingerprint {
                matchedPEM = PEMCertificate.encode(der: der)
                verdict.succeed(.certificateVerified)
                return
            }
        }
        finish(.failure(mismatch))
        verdict.succeed(.failed)
    }

    private var mismatch: HomeshoreError {
        HomeshoreError(
            "certificate_mismatch",
            "The hub at \(endpoint) presented a certificate authority whose fingerprint does not match the enrollment token; refusing to trust it."
        )
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // One deadline covers connect and handshake so a silent peer cannot stall enrollment.
        let seconds = Double(timeout.nanoseconds) / 1_000_000_000
        let shown = seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            finish(.failure(PinnedCA.unreachable(endpoint, "no TLS handshake completed within \(shown) seconds")))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if active {
            finish(.failure(PinnedCA.unreachable(endpoint, "the connection was closed before the TLS handshake finished")))
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        active = true
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event, let pem = matchedPEM {
            finish(.success(pem))
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Classified like every other exchange with the hub (TransportFailure): a connection closed or
    /// garbled during the handshake is "unreachable", never a certificate problem.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch TransportFailure.classify(error) {
        case .hostname:
            finish(.failure(HomeshoreError(
                "hostname_mismatch",
                "The hub at \(endpoint) presented a certificate that does not cover that host name or address; use a hostname or IP address the hub certificate was generated for."
            )))
        case .certificate:
            // The verification callback has already reported the mismatch; this is its echo.
            finish(.failure(mismatch))
        case .unreachable(let reason):
            finish(.failure(PinnedCA.unreachable(endpoint, reason)))
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if active {
            finish(.failure(PinnedCA.unreachable(endpoint, "the connection was closed before the TLS handshake finished")))
        }
        context.fireChannelInactive()
    }

    private func finish(_ outcome: Result<String, any Error>) {
        guard !done else { return }
        done = true
        timer?.cancel()
        timer = nil
        result.completeWith(outcome)
    }
}
