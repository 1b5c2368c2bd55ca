import Dispatch
import Foundation
import HomeshoreCore
import HummingbirdBcrypt

/// Bcrypt for dashboard passwords. Hashing and checking take a deliberate quarter of a second at
/// the production cost, so they run off the async executor's few threads, which serve syncs.
public struct PasswordHasher: Sendable {
    public var cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public static let production = PasswordHasher(cost: 12)

    /// Bcrypt reads at most 72 bytes; longer passwords would silently share a hash with their prefix.
    public static let maxBytes = 72
    public static let minLength = 12

    public func hash(_ password: String) async -> String {
        let cost = cost
        return await Self.offExecutor { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against its hash. With no hash (unknown login, no password set) a dummy hash
    /// is checked all the same, so the answer takes as long and tells nothing about the login.
    public static func verify(_ password: String, hash: String?) async -> Bool {
        let target = hash ?? dummyHash
        let matches = await offExecutor { Bcrypt.verify(password, hash: target) }
        return matches && hash != nil
    }

    /// A random password a person can type: 20 characters from 120 random bits.
    public static func generate() -> String {
        Secrets.randomToken(bytes: 15)
    }

    /// Computed once, at the production cost, from a secret nobody knows.
    private static let dummyHash = Bcrypt.hash(Secrets.randomToken(), cost: 12)

    private static func offExecutor<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
