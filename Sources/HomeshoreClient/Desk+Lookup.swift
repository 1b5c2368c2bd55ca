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
}
