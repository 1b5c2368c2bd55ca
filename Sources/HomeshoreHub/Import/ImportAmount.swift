import HomeshoreCore

/// Amounts of import files: `Money.parse`, with a fast path for the form nearly every cell has.
enum ImportAmount {
    /// Minor units of `text`, exactly as `Money.parse(text, currency:)` answers. Cells written
    /// `1234`, `1234.5` or `1234.50` (ASCII digits, a point, at most the currency's decimals) are read
    /// byte by byte here: `Money.parse` splits and pads strings, which was a sixth of reading a
    /// 100,000-row file. Anything else (a comma, spaces, a sign, too many digits) goes to `Money.parse`.
    static func parse(_ text: String, currency: String) -> Int64? {
        let decimals = Money.exponent(of: currency)
        var whole: Int64 = 0, wholeDigits = 0, fraction: Int64 = 0, fractionDigits = 0, sawPoint = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                if sawPoint {
                    fraction = fraction * 10 + digit
                    fractionDigits += 1
                } else {
                    whole = whole * 10 + digit
                    wholeDigits += 1
                }
            case UInt8(ascii: ".") where !sawPoint:
                sawPoint = true
            default:
                return Money.parse(text, currency: currency)
            }
            // Beyond this the slow path decides (and refuses): no overflow can happen here.
            if wholeDigits > 15 || fractionDigits > decimals { return Money.parse(text, currency: currency) }
        }
        guard wholeDigits > 0, !sawPoint || fractionDigits > 0 else { return Money.parse(text, currency: currency) }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        var fractionScale: Int64 = 1
        for _ in 0..<(decimals - fractionDigits) { fractionScale *= 10 }
        return whole * scale + fraction * fractionScale
    }
}
