import Foundation

/// One line of the benchmark table: a figure, the target it must meet, and the baseline measured in
/// the same run that makes the figure meaningful on whatever machine ran it.
public struct BenchRow: Sendable {
    public enum Verdict: String, Sendable {
        case met = "met"
        case missed = "**missed**"
        case info = "—"
    }

    public var scenario: String
    public var figure: String
    public var target: String
    public var baseline: String
    public var verdict: Verdict

    public init(_ scenario: String, figure: String, target: String, baseline: String, met: Bool?) {
        self.scenario = scenario
        self.figure = figure
        self.target = target
        self.baseline = baseline
        verdict = met.map { $0 ? .met : .missed } ?? .info
    }
}

/// How figures are written in the table: fixed precision, units spelled out.
enum Show {
    static func ms(_ seconds: Double) -> String {
        seconds < 0.01 ? String(format: "%.2f ms", seconds * 1000) : String(format: "%.1f ms", seconds * 1000)
    }

    static func seconds(_ seconds: Double) -> String {
        seconds < 1 ? ms(seconds) : String(format: "%.2f s", seconds)
    }

    static func bytes(_ count: Int) -> String {
        if count < 10_000 { return "\(count) B" }
        if count < 10_000_000 { return String(format: "%.1f KB", Double(count) / 1000) }
        return String(format: "%.2f MB", Double(count) / 1_000_000)
    }

    static func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }
    static func percent(_ value: Double) -> String { String(format: "%.0f %%", value * 100) }
    static func rate(_ perSecond: Double, _ unit: String) -> String { String(format: "%.0f %@/s", perSecond, unit) }
    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
