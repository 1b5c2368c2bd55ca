import Foundation
import HomeshoreCore

/// Parsing what agents type: durations like `2m30s`, local times like `2026-12-01 14:30`.
public enum CommandInput {
    /// `90`, `90s`, `2m30s`, `1h5m`: seconds.
    public static func duration(_ text: String) throws -> Int {
        let invalid = HomeshoreError("invalid_duration", "\"\(text)\" is not a duration; write it like 2m30s, 45s or 1h5m.")
        if let seconds = Int(text), seconds >= 0 { return seconds }
        var total = 0, number = "", sawUnit = false
        for character in text.lowercased() {
            if character.isNumber { number.append(character); continue }
            guard let value = Int(number) else { throw invalid }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: throw invalid
            }
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit, total <= Limits.maxCallSeconds else { throw invalid }
        return total
    }

    /// `YYYY-MM-DD HH:MM` in the given time zone (the debtor's), or a full ISO 8601 time: the same
    /// strict readers as the hub (no signs inside fields; an hour skipped by a clock change is refused).
    public static func localTime(_ text: String, timeZone: TimeZone) throws -> Date {
        if let date = Timestamp.parse(text) ?? Timestamp.parseLocal(text, in: timeZone) { return date }
        if Timestamp.parseLocal(text, in: .gmt) != nil {
            throw HomeshoreError("invalid_time", "\(text) does not exist in \(timeZone.identifier): the clocks skip that hour.")
        }
        throw HomeshoreError("invalid_time", "\"\(text)\" is not a time; write it like 2026-12-01 14:30.")
    }

    /// How an instant reads in a time zone, for showing callbacks in the debtor's local time.
    public static func display(_ iso: String, in timeZone: TimeZone) -> String {
        guard let date = Timestamp.parse(iso) else { return iso }
        return display(date, in: timeZone)
    }

    /// `yyyy-MM-dd HH:mm` (Gregorian) in `timeZone`, from the zone's offset at that instant: the
    /// same text a POSIX DateFormatter gives, without making one per line (each costs ICU set-up;
    /// `show` and `list` print one per history item or callback, issue 10).
    public static func display(_ date: Date, in timeZone: TimeZone) -> String {
        let local = Int((date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))).rounded(.down))
        let (days, seconds) = (local.floorDivided(by: 86_400), local - local.floorDivided(by: 86_400) * 86_400)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return CalendarDate.fromDayNumber(days) + " " + two(seconds / 3600) + ":" + two(seconds % 3600 / 60)
    }
}

extension Int {
    /// Division rounding toward minus infinity (instants before 1970 fall on the right day).
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
