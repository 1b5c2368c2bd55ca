import AsyncHTTPClient
import Foundation
import HomeshoreClient
import HomeshoreCore
import NIOCore
import NIOHTTP1

/// The bench's own HTTPS client: it trusts only the hub's CA, as laptops do, and speaks the sync
/// protocol with the same gzip rules as the client library.
final class BenchHTTP: Sendable {
    let client: HTTPClient

    /// `fresh` opens a new TLS connection for every request, as each `homeshore sync` process does.
    init(caPEM: String, fresh: Bool = false, connections: Int = 8) throws {
        var configuration = HTTPClient.Configuration(tlsConfiguration: try PinnedCA.clientTLSConfiguration(caPEM: caPEM))
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        // The log-in's 303 carries the session cookie: read it, do not follow it.
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool = .init(idleTimeout: fresh ? .milliseconds(1) : .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.fresh = fresh
    }

    let fresh: Bool

    func shutdown() async { try? await client.shutdown() }

    struct Answer: Sendable {
        var status: UInt
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    func get(_ url: String, headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return try await send(request)
    }

    func post(_ url: String, form: String, headers: [(String, String)]) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: form))
        return try await send(request)
    }

    func send(_ request: HTTPClientRequest) async throws -> Answer {
        var request = request
        if fresh { request.headers.replaceOrAdd(name: "Connection", value: "close") }
        let response = try await client.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 512 * 1024 * 1024)
        return Answer(status: response.status.code, headers: response.headers, body: body)
    }

    /// One `POST /v1/sync` as a device; a non-200 answer is an error carrying the hub's message.
    func sync(_ baseURL: String, token: String, _ body: SyncRequest) async throws -> SyncResponse {
        var request = HTTPClientRequest(url: baseURL + "/v1/sync")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        var buffer = ByteBuffer(bytes: try WireJSON.encode(body))
        if buffer.readableBytes > 1024 {
            buffer = try Gzip.compress(buffer)
            request.headers.add(name: "Content-Encoding", value: "gzip")
        }
        request.body = .bytes(buffer)
        let answer = try await send(request)
        var data = answer.body
        if answer.headers.first(name: "Content-Encoding")?.lowercased() == "gzip" {
            data = try Gzip.decompress(data, maxSize: 512 * 1024 * 1024)
        }
        guard answer.status == 200 else {
            throw HomeshoreError("bench_sync_failed", "The hub answered \(answer.status) to a sync: \(String(buffer: data).prefix(300))")
        }
        return try WireJSON.decode(SyncResponse.self, from: Data(data.readableBytesView))
    }
}
