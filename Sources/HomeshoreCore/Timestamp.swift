import Foundation

/// Instants travel and are stored as UTC ISO 8601 text with milliseconds, so that the hub's and the
/// client's copies of a record compare byte for byte.
public enum Timestamp {
    public static func string(from date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        return string(millis: millis)
    }

    public static func string(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = millis - seconds * 1000
        var tm = tm()
        var time = time_t(seconds)
        gmtime_r(&time, &tm)
        let year = Int(tm.tm_year) + 1900
        guard (0...9999).contains(year) else {
            return String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                year, Int(tm.tm_mon) + 1, Int(tm.tm_mday), Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), Int(ms))
        }
        // The same text as the format above, written digit by digit: `String(format:)` goes through
        // Foundation's CVarArg formatting, whose first use costs every command process (issue 10).
        var text: [UInt8] = []
        text.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int, then separator: UInt8) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            text.append(separator)
        }
        digits(year, 4, then: UInt8(ascii: "-"))
        digits(Int(tm.tm_mon) + 1, 2, then: UInt8(ascii: "-"))
        digits(Int(tm.tm_mday), 2, then: UInt8(ascii: "T"))
        digits(Int(tm.tm_hour), 2, then: UInt8(ascii: ":"))
        digits(Int(tm.tm_min), 2, then: UInt8(ascii: ":"))
        digits(Int(tm.tm_sec), 2, then: UInt8(ascii: "."))
        digits(Int(ms), 3, then: UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses RFC 3339 (`2026-12-01T09:30:00Z`, `…T10:30:00.250+01:00`): every field its fixed number of
    /// ASCII digits, each within its range, the offset within ±18:00. One strict reader for the CLI,
    /// HTTP and CSV alike: Foundation's parser rolls 2026-02-30 over into March and lets signs in.
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count >= 20, chars.count <= 40,
              let day = CalendarDate.dayNumber(String(decoding: chars[0..<10], as: UTF8.self)),
              chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: "t"),
              chars[13] == UInt8(ascii: ":"), chars[16] == UInt8(ascii: ":"),
              let hour = ASCIIDigits.value(chars[11..<13]), hour < 24,
              let minute = ASCIIDigits.value(chars[14..<16]), minute < 60,
              let second = ASCIIDigits.value(chars[17..<19]), second < 60
        else { return nil }
        var index = 19
        var millis = 0
        if chars[index] == UInt8(ascii: ".") {
            let digits = chars[(index + 1)...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard (1...9).contains(digits.count), let value = ASCIIDigits.value(digits.prefix(3)) else { return nil }
            // Whole milliseconds, as stored: .1239 reads as 123 ms, never rounded up into the next second.
            millis = value * [100, 10, 1][min(digits.count, 3) - 1]
            index += 1 + digits.count
        }
        guard index < chars.count else { return nil }
        var offsetSeconds = 0
        switch chars[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == chars.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == chars.count, chars[index + 3] == UInt8(ascii: ":"),
                  let hours = ASCIIDigits.value(chars[(index + 1)..<(index + 3)]),
                  let minutes = ASCIIDigits.value(chars[(index + 4)..<(index + 6)]), minutes < 60,
                  hours * 60 + minutes <= 18 * 60
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (chars[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let seconds = day * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(millis) / 1000)
    }

    /// Re-writes any accepted ISO 8601 text in the canonical UTC form, or nil.
    public static func canonical(_ text: String) -> String? {
        parse(text).map { string(from: $0) }
    }
}

extension Timestamp {
    /// A wall-clock time as people type it, `2026-12-01 14:30` (or `T14:30`, or with `:SS`), in
    /// `zone`, read with the same strict fields as `parse`. A time that does not exist there (the
    /// hour skipped when clocks go forward) is nil; one that happens twice reads as the first.
    public static func parseLocal(_ text: String, in zone: TimeZone) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count == 16 || chars.count == 19,
              let (year, month, day) = CalendarDate.components(String(decoding: chars[0..<10], as: UTF8.self)),
              chars[10] == UInt8(ascii: " ") || chars[10] == UInt8(ascii: "T"), chars[13] == UInt8(ascii: ":"),
              let hour = ASCIIDigits.value(chars[11..<13]), hour < 24,
              let minute = ASCIIDigits.value(chars[14..<16]), minute < 60
        else { return nil }
        var second = 0
        if chars.count == 19 {
            guard chars[16] == UInt8(ascii: ":"), let value = ASCIIDigits.value(chars[17..<19]), value < 60 else { return nil }
            second = value
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let wanted = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: wanted) else { return nil }
        let got = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard got.year == year, got.month == month, got.day == day, got.hour == hour, got.minute == minute else { return nil }
        return date
    }
}
