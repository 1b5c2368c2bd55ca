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
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday),
            Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), Int(ms))
    }

    /// Parses ISO 8601 with an offset or `Z`, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        // Foundation's parser rolls 2026-02-30 over into March; an impossible time is an error here.
        let chars = Array(text.utf8)
        guard chars.count >= 20, chars.count <= 40, CalendarDate.isValid(String(text.prefix(10))),
              chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: "t"),
              let hour = Int(String(decoding: chars[11..<13], as: UTF8.self)), hour < 24,
              let minute = Int(String(decoding: chars[14..<16], as: UTF8.self)), minute < 60,
              let second = Int(String(decoding: chars[17..<19], as: UTF8.self)), second < 60
        else { return nil }
        // The canonical UTC form is what the hub and clients store: read it without a formatter
        // (building one costs far more than the arithmetic, and reports parse thousands).
        if let (year, month, day) = CalendarDate.components(String(text.prefix(10))), chars.last == UInt8(ascii: "Z"),
           chars.count == 20 || (chars.count == 24 && chars[19] == UInt8(ascii: ".")) {
            var millis = 0
            if chars.count == 24 {
                guard let value = Int(String(decoding: chars[20..<23], as: UTF8.self)), chars[20..<23].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
                millis = value
            }
            var parts = tm()
            parts.tm_year = Int32(year - 1900)
            parts.tm_mon = Int32(month - 1)
            parts.tm_mday = Int32(day)
            parts.tm_hour = Int32(hour)
            parts.tm_min = Int32(minute)
            parts.tm_sec = Int32(second)
            return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)) + TimeInterval(millis) / 1000)
        }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        return plain.date(from: text)
    }

    /// Re-writes any accepted ISO 8601 text in the canonical UTC form, or nil.
    public static func canonical(_ text: String) -> String? {
        parse(text).map { string(from: $0) }
    }
}
