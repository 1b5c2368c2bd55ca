import Foundation
import HomeshoreCore

/// How figures read in every report, the CLI's, the API's and the dashboard's alike.
public enum ReportFormat {
    /// `41.2%`, or `-` when there is nothing to divide by.
    public static func percent(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.1f%%", value * 100)
    }

    /// `1234.50 EUR`, currencies side by side (`1234.50 EUR + 80.00 CHF`), `0` when empty.
    public static func amounts(_ amounts: Amounts) -> String {
        let nonZero = amounts.filter { $0.value != 0 }
        guard !nonZero.isEmpty else { return "0" }
        return nonZero.keys.sorted().map { Money.describe(nonZero[$0] ?? 0, currency: $0) }.joined(separator: " + ")
    }

    /// `2:35` (minutes and seconds), or `-`.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        let whole = Int(seconds.rounded())
        return "\(whole / 60):" + String(format: "%02d", whole % 60)
    }

    /// `3d 4h`, `5h 10m`, `12m` — the age of a queue or a silence.
    public static func age(_ seconds: Int64?) -> String {
        guard let seconds else { return "-" }
        if seconds >= 86_400 { return "\(seconds / 86_400)d \((seconds % 86_400) / 3_600)h" }
        if seconds >= 3_600 { return "\(seconds / 3_600)h \((seconds % 3_600) / 60)m" }
        return "\(seconds / 60)m"
    }
}
