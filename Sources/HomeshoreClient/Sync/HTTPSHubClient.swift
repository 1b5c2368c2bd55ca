import AsyncHTTPClient
import Foundation
import HomeshoreCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// Talks to one hub over HTTPS, trusting only the CA pinned at enrollment.
public final class HTTPSHubClient: SyncTransport {
    let baseURL: String
    let token: String?
    let client: HTTPClient

    public init(baseURL: String, caPEM: String, token: String?) throws {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        var configuration = HTTPClient.Configuration(tlsConfiguration: try PinnedCA.clientTLSConfiguration(caPEM: caPEM))
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        // An agent waiting on `sync` wants "unreachable" at once; `sync --watch` does the retrying.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    public func sync(_ request: SyncRequest) async throws -> SyncResponse {
        try await pull(request).response
    }

    public func pull(_ request: SyncRequest) async throws -> PulledPage {
        let (response, body) = try await post("/v1/sync", request, as: SyncResponse.self)
        return PulledPage(response: response, raw: RawPage.scan(body))
    }

    public func enroll(_ request: EnrollRequest) async throws -> EnrollResponse {
        try await post("/v1/enroll", request, as: EnrollResponse.self).answer
    }

    /// The decoded answer and the body it was decoded from.
    func post<Body: Encodable, Answer: Decodable>(_ path: String, _ body: Body, as: Answer.Type) async throws -> (answer: Answer, body: Data) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        var buffer = ByteBuffer(bytes: try WireJSON.encode(body))
        if buffer.readableBytes > 1024 {
            buffer = try Gzip.compress(buffer)
            request.headers.add(name: "Content-Encoding", value: "gzip")
        }
        request.body = .bytes(buffer)
        return try await send(request, as: Answer.self)
    }

    func get<Answer: Decodable>(_ path: String, as: Answer.Type) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .GET
        return try await send(request, as: Answer.self).answer
    }

    /// One request with the pinned trust: errors become the hub's JSON error or a sentence, and
    /// answers are inflated when gzip-compressed.
    func send<Answer: Decodable>(_ request: HTTPClientRequest, as: Answer.Type) async throws -> (answer: Answer, body: Data) {
        var request = request
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let limit = 256 * 1024 * 1024
        let response: HTTPClientResponse
        var answer: ByteBuffer
        do {
            response = try await client.execute(request, timeout: .seconds(180))
            answer = try await response.body.collect(upTo: limit)
        } catch {
            // Ctrl-C during a request is not a network failure.
            if Task.isCancelled { throw CancellationError() }
            throw Self.failure(error, baseURL: baseURL)
        }
        if response.headers.first(name: "Content-Encoding")?.lowercased() == "gzip" {
            answer = try Gzip.decompress(answer, maxSize: limit)
        }
        let data = Data(answer.readableBytesView)
        guard response.status == .ok else {
            if let body = try? WireJSON.decode(ErrorBody.self, from: data) { throw body.error }
            throw HomeshoreError("hub_error", "The hub answered \(response.status.code) \(response.status.reasonPhrase).")
        }
        return (try WireJSON.decode(Answer.self, from: data), data)
    }

    /// The error the agent hears for a failed exchange: only a chain the pinned CA does not vouch for
    /// is a trust failure (`tls_failed`, exit 1, `sync --watch` stops); a connection closed, reset or
    /// garbled during the handshake is `hub_unreachable` (exit 3, the work stays queued, `--watch` retries).
    static func failure(_ error: any Error, baseURL: String) -> HomeshoreError {
        switch TransportFailure.classify(error) {
        case .certificate(let code):
            HomeshoreError("tls_failed", "The hub's certificate is not the one pinned at enrollment (\(code)); refusing to talk to it.")
        case .hostname:
            HomeshoreError("tls_failed", "The hub's certificate does not cover the host name of \(baseURL); refusing to talk to it.")
        case .unreachable(let reason):
            HomeshoreError("hub_unreachable", "Cannot reach the hub at \(baseURL) (\(reason)).")
        }
    }
}
