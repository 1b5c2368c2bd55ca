import HomeshoreCore
import Hummingbird
import Foundation
import GRDB
import Logging
import NIOCore
import NIOHTTP1

/// Turns every failure into a JSON error body with a 4xx status; an unexpected error is logged and
/// answered 500 with no detail, and never brings the hub down.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HomeshoreError {
            return Self.response(error, status: Self.status(for: error.code))
        } catch let error as any HTTPResponseError {
            let code: String
            let message: String
            switch error.status {
            case .contentTooLarge:
                code = "body_too_large"
                message = "The body is too large for \(request.uri.path)."
            case .notFound:
                code = "not_found"
                message = "There is nothing at \(request.uri.path)."
            case .methodNotAllowed:
                code = "method_not_allowed"
                message = "\(request.method) is not allowed on \(request.uri.path)."
            default:
                code = "bad_request"
                message = "The request could not be handled (\(error.status.code) \(error.status.reasonPhrase))."
            }
            return Self.response(HomeshoreError(code, message), status: error.status)
        } catch let error as HTTPParserError {
            // Broken framing (a chunk size `zz`, a bad header) is the client's fault, not the hub's.
            var response = Self.response(HomeshoreError("malformed_request", "The request is not well-formed HTTP/1.1 (\(error))."),
                                         status: .badRequest)
            response.headers[.connection] = "close"
            return response
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            context.logger.warning("database busy", metadata: ["error.code": "\(error.resultCode)"])
            var response = Self.response(HomeshoreError("store_busy", "The hub is busy; try again in a moment."), status: .serviceUnavailable)
            response.headers[.retryAfter] = "2"
            return response
        } catch {
            context.logger.error("unexpected error", metadata: ["error.type": "\(type(of: error))"])
            return Self.response(HomeshoreError("internal_error", "The hub failed to handle this request; it has been logged."), status: .internalServerError)
        }
    }

    static func status(for code: String) -> HTTPResponse.Status {
        switch code {
        case "missing_token", "invalid_token", "device_revoked", "device_retired", "invalid_secret", "secret_used", "secret_expired", "agent_inactive",
             "unauthenticated":
            .unauthorized
        case "forbidden": .forbidden
        case "not_found", "unknown_dossier", "unknown_report": .notFound
        case "body_too_large": .contentTooLarge
        case "rate_limited": .tooManyRequests
        case "unsupported_media_type": .unsupportedMediaType
        case "store_unavailable": .serviceUnavailable
        default: .badRequest
        }
    }

    static func response(_ error: HomeshoreError, status: HTTPResponse.Status) -> Response {
        let data = (try? WireJSON.encode(ErrorBody(error: error))) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
