import Foundation

/// The table `homeshore-bench` prints and writes into docs/benchmarks.md, between two markers so
/// that the hand-written analysis around it stays.
public struct BenchReport: Sendable {
    public var rows: [BenchRow] = []
    public var quick: Bool
    public var started = Date()
    public var seconds: Double = 0

    public init(quick: Bool) { self.quick = quick }

    static let begin = "<!-- homeshore-bench:begin -->"
    static let end = "<!-- homeshore-bench:end -->"

    public var markdown: String {
        var lines = [
            "Measured \(Self.day(started)) on \(Machine.describe()), \(quick ? "quick mode (small sizes: checks the program, not the targets)" : "full sizes"), in \(Show.seconds(seconds)).",
            "Rerun with `make bench`\(quick ? " (this was `make bench QUICK=1`)" : "").",
            "",
            "| scenario | figure | target | baseline (same run) | verdict |",
            "|---|---|---|---|---|",
        ]
        for row in rows {
            // Small sizes say nothing about targets set for the full ones.
            let verdict = quick && row.verdict != .info ? "(quick)" : row.verdict.rawValue
            lines.append("| \(row.scenario) | \(row.figure) | \(row.target) | \(row.baseline) | \(verdict) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Replaces the generated part of `path`, or writes a new file holding only it.
    public func write(to path: String) throws {
        let block = Self.begin + "\n" + markdown + "\n" + Self.end
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Benchmarks\n\n\(Self.begin)\n\(Self.end)\n"
        if let start = text.range(of: Self.begin), let stop = text.range(of: Self.end, range: start.upperBound..<text.endIndex) {
            text.replaceSubrange(start.lowerBound..<stop.upperBound, with: block)
        } else {
            text += "\n" + block + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }
}

/// What the figures were measured on: they mean little without it.
enum Machine {
    static func describe() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let kilobytes = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal") }
            .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return "\(cores) cores (\(model)), \(kilobytes / 1_048_576) GiB, \(kernel())"
    }

    static func kernel() -> String {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "Linux \(release)"
    }
}
