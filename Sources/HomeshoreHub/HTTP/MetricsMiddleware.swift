import Hummingbird

/// Counts every answered request by route template, method and final status.
///
/// It must sit outside `ErrorMiddleware` (added before it), so that thrown errors have already
/// become the 4xx/5xx response the client gets. Labels stay bounded whatever clients send: the
/// route is the template the router matched (never the raw path, which carries dossier references)
/// or "unmatched", and unusual methods collapse into "other".
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: OperationsMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            count(request, context, status: response.status.code)
            return response
        } catch {
            // Only reached if something escapes ErrorMiddleware; Hummingbird then answers this way.
            count(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
    }

    private func count(_ request: Request, _ context: Context, status: Int) {
        metrics.countRequest(route: Self.route(context.endpointPath), method: Self.method(request.method), status: status)
    }

    /// The router stores the matched template (`/v1/dossiers/{reference}`), read after `next` so a
    /// fixed name set on the way (Hummingbird's FileMiddleware writes "FileMiddleware") is kept too;
    /// it writes "NotFound" or nothing when no route matched. Captures read as in the source (`:reference`).
    static func route(_ endpoint: String?) -> String {
        guard let endpoint, !endpoint.isEmpty, endpoint != "NotFound" else { return "unmatched" }
        guard endpoint.contains("{") else { return endpoint }
        return endpoint.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
    }

    static func method(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "other"
        }
    }
}
