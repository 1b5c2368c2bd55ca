import Foundation
import HomeshoreCore

/// The admin actions of `homeshore-hub`, over a data folder. The CLI only parses arguments and calls these.
public struct HubAdmin: Sendable {
    public let dir: HubDataDir
    public let config: HubConfig
    public let store: any HubStore

    public init(dir: HubDataDir) throws {
        self.dir = dir
        config = try dir.loadConfig()
        store = try dir.openStore()
    }

    public static func validateLogin(_ login: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...40).contains(login.count), login.allSatisfy({ allowed.contains($0) }) else {
            throw HomeshoreError("invalid_login", "The login \"\(login.prefix(50))\" must be 2 to 40 lower-case letters, digits, dots, dashes or underscores.")
        }
    }

    /// Creates the agent and returns their first enrollment token.
    public func addAgent(_ agent: NewAgent, now: Date = Date()) async throws -> String {
        try Self.validateLogin(agent.login)
        try Self.validate(AgentChange(name: agent.name, languages: agent.languages, capacity: agent.capacity))
        _ = try await store.createAgent(agent, now: now)
        return try await enrollmentToken(login: agent.login, now: now)
    }

    public func updateAgent(login: String, _ change: AgentChange) async throws -> Agent {
        try Self.validate(change)
        return try await store.updateAgent(login: login, change)
    }

    static func validate(_ change: AgentChange) throws {
        if let name = change.name, name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 200 {
            throw HomeshoreError("invalid_name", "The agent's name must be 1 to 200 characters.")
        }
        if let capacity = change.capacity, !(0...10_000).contains(capacity) {
            throw HomeshoreError("invalid_capacity", "The capacity must be between 0 and 10000 dossiers.")
        }
        for language in change.languages ?? [] where !(2...3).contains(language.count) || !language.allSatisfy(\.isLowercase) {
            throw HomeshoreError("invalid_language", "\"\(language)\" is not a language code like fr or en.")
        }
    }

    /// A new one-time enrollment token for an existing active agent.
    public func enrollmentToken(login: String, now: Date = Date()) async throws -> String {
        let secret = Secrets.randomToken()
        let expiry = now.addingTimeInterval(TimeInterval(config.enrollmentTTLHours) * 3600)
        try await store.createEnrollment(login: login, secretHash: Secrets.hash(secret), expiresAt: expiry, now: now)
        return EnrollmentToken(url: config.publicURL, fingerprint: config.caFingerprint, secret: secret).encoded
    }

    public func requireAgent(_ login: String) async throws -> Agent {
        guard let agent = try await store.agent(login: login) else {
            throw HomeshoreError("unknown_agent", "There is no agent with login \"\(login)\".")
        }
        return agent
    }
}
