import Foundation
import HomeshoreCore
import Hummingbird

/// `GET /v1/dossiers/{reference}[?portfolio=P]`: a dossier of the device's agent's portfolios (or one
/// the agent holds) with its whole history, for an inbound call about a dossier the agent does not hold.
/// The answer is the `DossierChange` the sync uses, `whole` set.
struct LookupController {
    let store: any HubStore

    func register(on router: Router<HubRequestContext>) {
        router.get("/v1/dossiers/:reference") { request, context -> Response in
            let device = try await DeviceAuthenticator(store: store).device(for: request)
            guard !device.isRetired else {
                throw HomeshoreError("forbidden", "This device has been retired; it can no longer look up dossiers.")
            }
            // Hummingbird hands path parameters over still percent-encoded.
            guard let raw = context.parameters.get("reference"), let reference = raw.removingPercentEncoding,
                  (1...Self.maxReferenceLength).contains(reference.count) else {
                throw HomeshoreError("invalid_reference", "The dossier reference is missing or longer than \(Self.maxReferenceLength) characters.")
            }
            let portfolio = request.uri.queryParameters.get("portfolio").flatMap { $0.isEmpty ? nil : $0 }
            if let portfolio, portfolio.count > Self.maxReferenceLength {
                throw HomeshoreError("invalid_portfolio", "The portfolio name is longer than \(Self.maxReferenceLength) characters.")
            }
            let change = try await store.lookup(reference: reference, portfolio: portfolio, forAgentId: device.agentId)
            return try JSONBody.response(change, for: request)
        }
    }

    static let maxReferenceLength = 200
}
