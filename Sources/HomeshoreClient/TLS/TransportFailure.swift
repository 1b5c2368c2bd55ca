import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// What a failed exchange with the hub means for the agent. Only a certificate the pinned CA does not
/// vouch for (or one that does not cover the hub's name) is a trust failure; everything else at the
/// transport level (a refused or reset connection, an EOF or unclean shutdown during the handshake,
/// a peer that does not speak TLS, a timeout) means "the hub cannot be reached now": the work stays
/// queued and `sync --watch` retries. A flaky home line must never read as an attack, nor an attack
/// as a flaky line.
enum TransportFailure: Equatable {
    /// Chain verification against the pinned CA failed: the reason code, like CERTIFICATE_VERIFY_FAILED.
    case certificate(String)
    /// The chain verified but does not cover the host name or address the client asked for.
    case hostname
    /// Anything else: a short cause for people.
    case unreachable(String)

    static func classify(_ error: any Error) -> TransportFailure {
        switch error {
        case let error as NIOSSLError:
            switch error {
            case .handshakeFailed(let inner):
                return classify(boringSSL: inner)
            case .unableToValidateCertificate, .noCertificateToValidate:
                return .certificate("\(error)")
            case .uncleanShutdown:
                return .unreachable("the connection was closed in the middle of the TLS exchange")
            default:
                return .unreachable("the TLS exchange failed (\(error))")
            }
        case let error as BoringSSLError:
            return classify(boringSSL: error)
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return .hostname
        default:
            return .unreachable(reason(error))
        }
    }

    static func classify(boringSSL error: BoringSSLError) -> TransportFailure {
        let stack: NIOBoringSSLErrorStack
        switch error {
        case .sslError(let errors), .unknownError(let errors): stack = errors
        case .zeroReturn, .syscallError: return .unreachable("the connection was closed during the TLS handshake")
        default: return .unreachable("the TLS handshake failed (\(error))")
        }
        let codes = stack.map(code)
        if let verify = codes.first(where: { Self.verificationCodes.contains($0) }) { return .certificate(verify) }
        if stack.contains(.eofDuringHandshake) || stack.contains(.eofDuringAdditionalCertficiateChainValidation) || stack.isEmpty {
            return .unreachable("the connection was closed during the TLS handshake")
        }
        return .unreachable("the TLS handshake failed (\(codes.first ?? "unknown")); check that this is the hub's HTTPS port")
    }

    /// BoringSSL reasons that mean the hub's chain was judged and refused by this client. Alerts the
    /// hub sends about our side, protocol mismatches and garbage are not among them.
    static let verificationCodes: Set<String> = ["CERTIFICATE_VERIFY_FAILED"]

    /// The reason code of one BoringSSL error (`CERTIFICATE_VERIFY_FAILED`), or its text when it has none.
    static func code(_ error: BoringSSLInternalError) -> String {
        let text = error.description
        if let marker = text.range(of: "OPENSSL_internal:", options: .backwards) {
            let code = text[marker.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            if !code.isEmpty { return String(code) }
        }
        return text.replacingOccurrences(of: "Error: ", with: "").trimmingCharacters(in: .whitespaces)
    }

    /// A short cause for people; the full error text of the HTTP stack is unreadable in a terminal.
    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .remoteConnectionClosed { return "the connection was closed" }
            if [.connectTimeout, .readTimeout, .deadlineExceeded, .writeTimeout].contains(error) { return "timed out" }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNRESET, EPIPE: return "the connection was reset"
            case ECONNREFUSED: return "connection refused"
            case ENETUNREACH, EHOSTUNREACH: return "network unreachable"
            case ETIMEDOUT: return "timed out"
            default: break
            }
        }
        let text = "\(error)".lowercased()
        if text.contains("refused") { return "connection refused" }
        if text.contains("reset") || text.contains("broken pipe") { return "the connection was reset" }
        if text.contains("timeout") || text.contains("timed out") { return "timed out" }
        if text.contains("dns") || text.contains("resolve") || text.contains("lookup") { return "host name not found" }
        if text.contains("unreachable") { return "network unreachable" }
        if text.contains("eof") || text.contains("closed") { return "the connection was closed" }
        return "the connection failed"
    }
}
