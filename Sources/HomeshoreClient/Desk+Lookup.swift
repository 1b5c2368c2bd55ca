import AsyncHTTPClient
import Foundation
import HomeshoreCore
import NIOCore
import NIOSSL

/// Inbound look-up: a creditor or debtor calls about a dossier the agent does not hold.
extension Desk {
    /// Fetches a dossier of the agent's portfolios from the hub (online), keeps it on this laptop
    /// apart from the scope for `Replica.lookupLifetime`, and answers it as `show` would. Calls and
    /// notes typed on it afterwards queue like any other op, offline too; the hub flags them `inbound`.
    ///
    /// Errors: `hub_unreachable`, `forbidden` (not one of the agent's portfolios), `unknown_dossier`,
    /// `ambiguous_reference`; `device_revoked` wipes the laptop as sync does.
    public func lookup(reference: String, portfolio: String? = nil, now: Date = Date()) async throws -> DossierView {
        let client = try transport()
        let change: DossierChange
        do {
            change = try await client.lookup(reference: reference, portfolio: portfolio)
            await client.shutdown()
        } catch let error as HomeshoreError where error.code == "device_revoked" {
            await client.shutdown()
            try replica.wipe()
            throw error
        } catch {
            await client.shutdown()
            throw error
        }
        return try replica.storeLookup(change, now: now)
    }
}

extension HTTPSHubClient {
    /// `GET /v1/dossiers/{reference}[?portfolio=P]`.
    public func lookup(reference: String, portfolio: String?) async throws -> DossierChange {
        var path = "/v1/dossiers/" + Self.encoded(reference)
        if let portfolio { path += "?portfolio=" + Self.encoded(portfolio) }
        return try await get(path, as: DossierChange.self)
    }

    /// Percent-encodes everything but unreserved characters, so a `/` or `?` stays in the path segment.
    static func encoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A GET with the same trust, errors and gzip handling as `post`.
    func get<Answer: Decodable>(_ path: String, as: Answer.Type) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .GET
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response: HTTPClientResponse
        var answer: ByteBuffer
        do {
            response = try await client.execute(request, timeout: .seconds(60))
            answer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch let error as NIOSSLError {
            throw HomeshoreError("tls_failed", "The hub's certificate is not the one pinned at enrollment (\(error)); refusing to talk to it.")
        } catch let error as BoringSSLError {
            throw HomeshoreError("tls_failed", "The TLS handshake with the hub failed (\(error)); refusing to talk to it.")
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw HomeshoreError("hub_unreachable", "Cannot reach the hub at \(baseURL) (\(Self.reason(error))).")
        }
        if response.headers.first(name: "Content-Encoding")?.lowercased() == "gzip" {
            answer = try Gzip.decompress(answer, maxSize: 64 * 1024 * 1024)
        }
        let data = Data(answer.readableBytesView)
        guard response.status == .ok else {
            if let body = try? WireJSON.decode(ErrorBody.self, from: data) { throw body.error }
            throw HomeshoreError("hub_error", "The hub answered \(response.status.code) \(response.status.reasonPhrase).")
        }
        return try WireJSON.decode(Answer.self, from: data)
    }
}
