import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running `homeshore-hub serve`. It is always terminated: by `stop()` in the test, else by deinit
/// (SIGTERM, then SIGKILL after a few seconds), so a failing test never leaves a hub behind.
final class HubProcess: @unchecked Sendable {
    static let readyPrefix = "homeshore-hub listening on"

    let child: ChildProcess
    let port: Int

    struct StartFailure: Error, CustomStringConvertible {
        let addressInUse: Bool
        let description: String
    }

    private init(child: ChildProcess, port: Int) {
        self.child = child
        self.port = port
    }

    /// Starts the hub and returns once it printed its "listening" line (at most `timeout`).
    static func start(data: String, port: Int, logDir: String, timeout: Duration = .seconds(60)) async throws -> HubProcess {
        let child = try ChildProcess(E2E.hubBinary, ["serve", "--data", data, "--listen", "127.0.0.1:\(port)"], logDir: logDir)
        let hub = HubProcess(child: child, port: port)
        let deadline = ContinuousClock.now + timeout
        while true {
            if child.stdout.split(separator: "\n").contains(where: { $0.hasPrefix(readyPrefix) }) { return hub }
            if !child.isRunning {
                let stderr = child.stderr
                let inUse = stderr.lowercased().contains("address already in use") || stderr.lowercased().contains("eaddrinuse")
                throw StartFailure(addressInUse: inUse, description: "The hub exited before listening on port \(port):\n\(stderr.suffix(2000))")
            }
            if ContinuousClock.now >= deadline {
                hub.terminateNow()
                throw StartFailure(addressInUse: false, description: "The hub did not say it was listening within \(timeout).\n\(child.stderr.suffix(2000))")
            }
            await pause(.milliseconds(50))
        }
    }

    deinit { terminateNow() }

    var isRunning: Bool { child.isRunning }
    /// The request log (one line per request) and any error.
    var log: String { child.stderr }

    /// SIGTERM, then SIGKILL if it has not ended after `grace`. Returns how it ended.
    @discardableResult
    func stop(grace: Duration = .seconds(10)) async -> CommandResult {
        child.send(SIGTERM)
        if !(await child.waitForExit(timeout: grace)) {
            child.send(SIGKILL)
            _ = await child.waitForExit(timeout: .seconds(10))
        }
        return child.result
    }

    /// For deinit paths: same as `stop` but blocking, with a short grace.
    func terminateNow() {
        guard child.isRunning else { return }
        child.send(SIGTERM)
        if !child.waitForExitBlocking(timeout: .seconds(3)) {
            child.send(SIGKILL)
            _ = child.waitForExitBlocking(timeout: .seconds(5))
        }
    }
}
