import Foundation

/// Amounts are integer minor units; text like `123.45` is parsed exactly, never through a Double.
public enum Money {
    /// Largest amount accepted anywhere: 1,000,000,000.00 in a two-decimal currency.
    public static let maxMinorUnits: Int64 = 100_000_000_000

    /// Decimal places of a currency's minor unit (ISO 4217); two unless listed.
    public static func exponent(of currency: String) -> Int {
        switch currency.uppercased() {
        case "JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF", "XPF", "PYG", "UGX", "RWF", "GNF", "KMF", "DJF", "VUV": 0
        case "BHD", "KWD", "OMR", "JOD", "IQD", "LYD", "TND": 3
        default: 2
        }
    }

    /// A currency code is three upper-case ASCII letters.
    public static func isValidCurrency(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    }

    /// Parses `123`, `123.4` or `123.45` (a comma is accepted as the decimal mark) into minor units.
    /// Returns nil for anything else: signs, exponents, thousands separators, too many decimals.
    public static func parse(_ text: String, currency: String = "EUR") -> Int64? {
        let digitsAllowed = exponent(of: currency)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: trimmed.contains(",") ? "," : ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, whole.count <= 15, whole.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        guard fraction.count <= digitsAllowed, fraction.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        if parts.count == 2 && fraction.isEmpty { return nil }
        guard let wholeValue = Int64(whole) else { return nil }
        let padded = fraction + String(repeating: "0", count: digitsAllowed - fraction.count)
        let fractionValue = padded.isEmpty ? 0 : (Int64(padded) ?? 0)
        var scale: Int64 = 1
        for _ in 0..<digitsAllowed { scale *= 10 }
        let (product, overflow) = wholeValue.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        return product + fractionValue
    }

    /// `1234.50 EUR`: an amount as an agent reads it aloud.
    public static func describe(_ minor: Int64, currency: String) -> String {
        format(minor, currency: currency) + " " + currency
    }

    /// Formats minor units back as `1234.50`, without the currency.
    public static func format(_ minor: Int64, currency: String = "EUR") -> String {
        let digits = exponent(of: currency)
        guard digits > 0 else { return String(minor) }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let sign = minor < 0 ? "-" : ""
        let absolute = minor.magnitude
        let whole = absolute / UInt64(scale)
        let fraction = String(absolute % UInt64(scale))
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
