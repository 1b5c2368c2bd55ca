import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// The import's fast reading of amounts answers exactly what `Money.parse` answers.
@Suite struct ImportAmountTests {
    @Test func answersAsMoneyParseDoes() {
        let texts = ["0", "1", "12", "12.3", "12.34", "12.345", "12.", ".5", ".", "..", "1.2.3", "007.50", "12,34", "12,3", " 12.34",
                     "12.34 ", "-12.34", "+1", "1e3", "123456789012345", "1234567890123456", "123456789012345.67", "99999999999999.999",
                     "１２", "12.3٤", "", "abc", "1 000.00", "0.00", "0.001"]
        for currency in ["EUR", "JPY", "KWD", "USD"] {
            for text in texts {
                #expect(ImportAmount.parse(text, currency: currency) == Money.parse(text, currency: currency), "\(text) \(currency)")
            }
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let whole = String(UInt64.random(in: 0...9_999_999, using: &random))
            let fraction = String(repeating: "7", count: Int.random(in: 0...4, using: &random))
            let text = fraction.isEmpty ? whole : whole + "." + fraction
            for currency in ["EUR", "JPY", "KWD"] {
                #expect(ImportAmount.parse(text, currency: currency) == Money.parse(text, currency: currency), "\(text) \(currency)")
            }
        }
    }
}
