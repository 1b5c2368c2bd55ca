import Foundation
import HomeshoreCore
import Hummingbird

/// `POST /v1/enroll`: trades a one-time enrollment secret for the device's own token. Failed
/// attempts are rate-limited per client address.
struct EnrollController {
    let store: any HubStore
    let now: @Sendable () -> Date
    let limiter = RateLimiter(limit: 10, window: 15 * 60)

    func register(on router: Router<HubRequestContext>) {
        router.post("/v1/enroll") { request, context -> Response in
            guard await !limiter.isBlocked(context.clientKey) else {
                throw HomeshoreError("rate_limited", "Too many failed enrollment attempts from this address; wait 15 minutes.")
            }
            let body = try await JSONBody.decode(EnrollRequest.self, from: request)
            guard !body.secret.isEmpty, body.secret.count <= 200 else {
                throw HomeshoreError("invalid_secret", "The enrollment secret is missing or malformed.")
            }
            let deviceName = body.deviceName.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...100).contains(deviceName.count) else {
                throw HomeshoreError("invalid_device_name", "The device name must be 1 to 100 characters.")
            }
            let token = Secrets.randomToken()
            let deviceId = UUID().uuidString.lowercased()
            do {
                let agent = try await store.redeemEnrollment(secretHash: Secrets.hash(body.secret), deviceId: deviceId,
                                                             deviceName: deviceName, tokenHash: Secrets.hash(token), now: now())
                context.logger.info("device enrolled", metadata: ["agent": "\(agent.login)", "device": "\(deviceId)"])
                return try JSONBody.response(EnrollResponse(deviceId: deviceId, deviceToken: token, agent: agent.login, agentName: agent.name), for: request)
            } catch let error as HomeshoreError where ErrorMiddleware<HubRequestContext>.status(for: error.code) == .unauthorized {
                await limiter.recordFailure(context.clientKey)
                throw error
            }
        }
    }
}
