import Foundation
import HomeshoreCore
import Hummingbird

/// Who reads a dashboard page or a report.
struct Viewer: Sendable, Equatable {
    var login: String
    var name: String
    var role: Role
}

/// The one gate of the dashboard and the reports API (DESIGN §5.3: supervisors read reports).
/// A browser proves itself with the `hs_session` cookie; the API also takes a supervisor's or an
/// admin's device token. No credentials is 401, an agent's credentials 403.
struct SupervisorAuth: Sendable {
    let store: any HubStore
    let now: @Sendable () -> Date

    static let cookieName = "hs_session"
    static let lifetime = 8 * 3_600

    func supervisor(for request: Request, allowDeviceToken: Bool) async throws -> Viewer {
        if allowDeviceToken, request.headers[.authorization] != nil {
            let device = try await DeviceAuthenticator(store: store).device(for: request)
            guard !device.isRetired else {
                throw HomeshoreError("forbidden", "This device has been retired; it can no longer read reports.")
            }
            guard device.role != .agent else {
                throw HomeshoreError("forbidden", "Reports are for supervisors and admins; \(device.login) is an agent.")
            }
            let agent = try await store.agent(login: device.login)
            return Viewer(login: device.login, name: agent?.name ?? device.login, role: device.role)
        }
        guard let viewer = try await sessionViewer(request) else {
            throw HomeshoreError("unauthenticated", "Log in to the dashboard first (or send a supervisor's device token).")
        }
        guard viewer.role != .agent else {
            throw HomeshoreError("forbidden", "The dashboard and reports are for supervisors and admins; \(viewer.login) is an agent.")
        }
        return viewer
    }

    /// The account of a valid session cookie, whatever its role.
    func sessionViewer(_ request: Request) async throws -> Viewer? {
        guard let token = Self.sessionToken(request) else { return nil }
        guard let agent = try await store.session(tokenHash: Secrets.hash(token), now: now()) else { return nil }
        return Viewer(login: agent.login, name: agent.name, role: agent.role)
    }

    /// Opens a session and returns the `Set-Cookie` value that carries it.
    func startSession(login: String) async throws -> String {
        let token = Secrets.randomToken()
        let issued = now()
        try await store.createSession(tokenHash: Secrets.hash(token), login: login,
                                      expiresAt: issued.addingTimeInterval(TimeInterval(Self.lifetime)), now: issued)
        return Self.cookie(value: token, maxAge: Self.lifetime)
    }

    func endSession(_ request: Request) async throws {
        if let token = Self.sessionToken(request) {
            try await store.deleteSession(tokenHash: Secrets.hash(token))
        }
    }

    static let expiredCookie = cookie(value: "", maxAge: 0)

    // Written by hand so every attribute is exactly as the security review expects.
    static func cookie(value: String, maxAge: Int) -> String {
        "\(cookieName)=\(value); Path=/; Max-Age=\(maxAge); Secure; HttpOnly; SameSite=Strict"
    }

    /// The cookie's value when it looks like one of our tokens (43 base64url characters).
    static func sessionToken(_ request: Request) -> String? {
        guard let value = request.cookies[cookieName]?.value, (20...100).contains(value.count),
              value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        return value
    }
}
