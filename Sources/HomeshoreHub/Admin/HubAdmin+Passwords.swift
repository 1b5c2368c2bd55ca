import Foundation
import HomeshoreCore

/// Dashboard passwords of supervisors and admins. Agents work from their laptops only, so their
/// accounts get no password.
extension HubAdmin {
    /// Sets a login's password (bcrypt); every open dashboard session of the account ends.
    public func setPassword(login: String, to password: String, hasher: PasswordHasher = .production) async throws {
        let agent = try await requireAgent(login)
        guard agent.role != .agent else {
            throw HomeshoreError("agent_role", "\(login) is an agent: only supervisors and admins log in to the dashboard. "
                                 + "Change the role first with `homeshore-hub agent set \(login) --role supervisor`.")
        }
        try Self.validatePassword(password)
        try await store.setPasswordHash(login: login, hash: await hasher.hash(password))
    }

    /// Sets a new random password and returns it, to be handed over once.
    public func generatePassword(login: String, hasher: PasswordHasher = .production) async throws -> String {
        let password = PasswordHasher.generate()
        try await setPassword(login: login, to: password, hasher: hasher)
        return password
    }

    /// The first password of a new supervisor or admin; nil for an agent.
    public func firstPassword(for agent: NewAgent, hasher: PasswordHasher = .production) async throws -> String? {
        guard agent.role != .agent else { return nil }
        return try await generatePassword(login: agent.login, hasher: hasher)
    }

    public static func validatePassword(_ password: String) throws {
        guard password.count >= PasswordHasher.minLength else {
            throw HomeshoreError("weak_password", "The password must be at least \(PasswordHasher.minLength) characters long.")
        }
        guard password.utf8.count <= PasswordHasher.maxBytes else {
            throw HomeshoreError("long_password", "The password must be at most \(PasswordHasher.maxBytes) bytes (bcrypt reads no further).")
        }
        guard !password.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw HomeshoreError("invalid_password", "The password must not contain control characters such as tabs or line breaks.")
        }
    }
}
