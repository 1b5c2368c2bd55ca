import Foundation
import HomeshoreCore

/// A program run as a whole process, as agents and admins run them: the figures include start-up.
struct Command: Sendable {
    var executable: String
    var arguments: [String]
    var environment: [String: String] = [:]

    struct Outcome: Sendable {
        var status: Int32
        var output: String
        var errors: String
        var seconds: Double
    }

    /// Runs to the end; an exit other than `expecting` is an error naming the command and its stderr.
    @discardableResult
    func run(expecting: Set<Int32> = [0], input: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if input != nil { process.standardInput = Pipe() } else { process.standardInput = FileHandle.nullDevice }
        let start = ContinuousClock.now
        try process.run()
        if let input, let pipe = process.standardInput as? Pipe {
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try? pipe.fileHandleForWriting.close()
        }
        // Read both pipes before waiting: a full pipe would block the child.
        let errors = ReadAll(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = (ContinuousClock.now - start).seconds
        let outcome = Outcome(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
                              errors: errors.text(), seconds: seconds)
        guard expecting.contains(outcome.status) else {
            throw HomeshoreError("bench_command_failed",
                                 "`\(([executable] + arguments).map(Self.quoted).joined(separator: " ").prefix(300))` exited \(outcome.status): \(outcome.errors.suffix(600))")
        }
        return outcome
    }

    /// The median wall time of `runs` runs, after one unmeasured warm-up run (page cache, dyld).
    func median(runs: Int, warmUp: Bool = true) throws -> Double {
        if warmUp { try run() }
        let times = try (0..<runs).map { _ in try run().seconds }
        return Stats.median(times)
    }

    static func quoted(_ word: String) -> String {
        word.contains(" ") ? "'\(word)'" : word
    }
}

/// Drains a pipe on its own thread.
final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

enum Stats {
    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count - 1)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank))]
    }
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
