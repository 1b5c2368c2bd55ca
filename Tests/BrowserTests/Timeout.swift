import Foundation

/// A wait that took too long: the message names what was awaited, so a hang reads as a failure.
struct TimedOut: Error, CustomStringConvertible {
    let what: String
    let after: Duration
    var description: String { "Timed out after \(after) waiting for \(what)." }
}

/// Runs `body`, or throws `TimedOut` once `limit` has passed (the body is then cancelled).
/// Limits are generous: the test runs on loaded two-core machines and never asserts on speed.
func withTimeout<T: Sendable>(_ limit: Duration, _ what: String,
                              _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimedOut(what: what, after: limit)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Polls `probe` every quarter second until it answers, or throws `TimedOut`.
func poll<T: Sendable>(_ limit: Duration, _ what: String, _ probe: @escaping @Sendable () async throws -> T?) async throws -> T {
    try await withTimeout(limit, what) {
        while true {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
