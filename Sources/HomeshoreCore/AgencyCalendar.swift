import Foundation

/// Calendar days as the agency counts them (promise due dates, grace periods): in the agency's time
/// zone, not UTC and not the laptop's.
public enum AgencyCalendar {
    public static let timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt

    /// The Gregorian calendar in `zone` (the agency's by default).
    public static func calendar(in zone: TimeZone = timeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    public static func day(of date: Date, in zone: TimeZone = timeZone) -> String {
        let parts = calendar(in: zone).dateComponents([.year, .month, .day], from: date)
        return CalendarDate.string(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// The instant the agency's day `YYYY-MM-DD` begins.
    public static func startOfDay(_ day: String, in zone: TimeZone = timeZone) -> Date? {
        guard let parts = CalendarDate.components(day) else { return nil }
        return calendar(in: zone).date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day))
    }
}
