import Foundation

/// Long steps show where they are on stderr, so the table on stdout stays clean.
public struct BenchProgress: Sendable {
    public var quiet = false

    public init() {}

    func say(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data("• \(text)\n".utf8))
    }

    func step(_ what: String, _ done: Int, of total: Int) {
        guard !quiet, total > 0 else { return }
        let every = Swift.max(1, total / 10)
        if done == total || done % every < Limits.batch {
            FileHandle.standardError.write(Data("  \(what): \(Show.count(done)) / \(Show.count(total))\n".utf8))
        }
    }

    private enum Limits { static let batch = 500 }
}
