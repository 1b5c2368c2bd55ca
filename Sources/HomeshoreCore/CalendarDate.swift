import Foundation

/// A calendar day written `YYYY-MM-DD`, checked to exist (no 2025-02-30).
public enum CalendarDate {
    public static func isValid(_ text: String) -> Bool { components(text) != nil }

    public static func components(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1900...2200).contains(year), (1...12).contains(month), day >= 1
        else { return nil }
        guard day <= daysIn(month: month, year: year) else { return nil }
        return (year, month, day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
