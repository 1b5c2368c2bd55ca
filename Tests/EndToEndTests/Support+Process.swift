import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished command did.
struct CommandResult: CustomStringConvertible, Sendable {
    var command: String
    /// The exit status, or the signal number when `killedBySignal`.
    var status: Int32
    var killedBySignal: Bool
    var stdout: String
    var stderr: String

    var succeeded: Bool { !killedBySignal && status == 0 }

    var description: String {
        "`\(command)` " + (killedBySignal ? "was killed by signal \(status)" : "exited \(status)")
            + "\n--- stdout:\n\(stdout.suffix(3000))\n--- stderr:\n\(stderr.suffix(3000))"
    }
}

/// One child process. Its stdout and stderr go to files, so no pipe can fill up and stall it, and a
/// long-running one (the hub) can be read while it runs. The process is killed if this object goes away.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let commandLine: String
    let stdoutPath: String
    let stderrPath: String
    private let outHandle: FileHandle
    private let errHandle: FileHandle

    init(_ executable: String, _ arguments: [String], logDir: String) throws {
        try FileManager.default.createDirectory(atPath: logDir, withIntermediateDirectories: true)
        let stem = logDir + "/" + (executable as NSString).lastPathComponent + "-" + (arguments.first ?? "") + "-"
            + UUID().uuidString.prefix(8).lowercased()
        stdoutPath = stem + ".out"
        stderrPath = stem + ".err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        commandLine = ([(executable as NSString).lastPathComponent] + arguments).joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        var environment = ProcessInfo.processInfo.environment
        // Every command names its folder explicitly; the developer's own folders must never be touched.
        environment["HOMESHORE_HOME"] = nil
        environment["HOMESHORE_HUB_DATA"] = nil
        process.environment = environment
        try process.run()
    }

    deinit {
        if process.isRunning { _ = kill(process.processIdentifier, SIGKILL) }
        try? outHandle.close()
        try? errHandle.close()
    }

    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }

    func send(_ signal: Int32) {
        if process.isRunning { _ = kill(process.processIdentifier, signal) }
    }

    /// Waits for the process to end; false if `timeout` passed first (the process is then left running).
    func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return false }
            await pause(.milliseconds(10))
        }
        return true
    }

    /// Blocking variant for deinit paths, where nothing can be awaited.
    func waitForExitBlocking(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return false }
            usleep(10_000)
        }
        return true
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Only once the process has ended.
    var result: CommandResult {
        CommandResult(command: commandLine, status: process.terminationStatus,
                      killedBySignal: process.terminationReason == .uncaughtSignal, stdout: stdout, stderr: stderr)
    }

    func removeLogs() {
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }
}

/// Sleeps without throwing, even in a cancelled task (a cancelled test must still wait for its processes).
func pause(_ duration: Duration) async {
    do {
        try await Task.sleep(for: duration)
    } catch {
        let (seconds, attoseconds) = duration.components
        usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
    }
}

/// Runs a command to its end, killing it (and failing) if it takes longer than `timeout`.
func runCommand(_ executable: String, _ arguments: [String], logDir: String,
                timeout: Duration = .seconds(90)) async throws -> CommandResult {
    let child = try ChildProcess(executable, arguments, logDir: logDir)
    guard await child.waitForExit(timeout: timeout) else {
        child.send(SIGKILL)
        _ = await child.waitForExit(timeout: .seconds(10))
        throw E2EError("`\(child.commandLine)` did not finish within \(timeout); it was killed.\n--- stderr:\n\(child.stderr.suffix(2000))")
    }
    let result = child.result
    child.removeLogs()
    return result
}
