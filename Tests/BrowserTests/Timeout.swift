import Foundation

/// A wait that took too long: the message names what was awaited, so a hang reads as a failure.
struct TimedOut: Error, CustomStringConvertible {
    let what: String
    let after: Duration
    var description: String { "Timed out after \(after) waiting for \(what)." }
}

/// Runs `body`, or throws `TimedOut` once `limit` has passed (the body is then cancelled).
/// Limits are generous: the test runs on loaded two-core machines and never asserts on speed.
/// The wait ends at the limit even if the body ignores cancellation (a WebSocket whose peer never
/// answers the close, a continuation nobody resumes): a task group would wait for it forever.
func withTimeout<T: Sendable>(_ limit: Duration, _ what: String,
                              _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = FirstOutcome<T>()
    return try await withCheckedThrowingContinuation { continuation in
        outcome.start(continuation)
        let work = Task {
            do { outcome.finish(.success(try await body())) } catch { outcome.finish(.failure(error)) }
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            outcome.finish(.failure(TimedOut(what: what, after: limit)))
            work.cancel()
        }
        outcome.onFinish { timer.cancel() }
    }
}

/// Resumes a continuation with whichever result comes first; later ones are dropped.
private final class FirstOutcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var result: Result<T, any Error>?
    private var cleanup: (@Sendable () -> Void)?

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    func onFinish(_ action: @escaping @Sendable () -> Void) {
        let done = lock.withLock { () -> Bool in
            if result != nil { return true }
            cleanup = action
            return false
        }
        if done { action() }
    }

    func finish(_ value: Result<T, any Error>) {
        let (waiting, action) = lock.withLock { () -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard result == nil else { return (nil, nil) }
            result = value
            defer { continuation = nil; cleanup = nil }
            return (continuation, cleanup)
        }
        waiting?.resume(with: value)
        action?()
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
