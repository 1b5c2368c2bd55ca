import Foundation

/// Calendar days as the agency counts them (promise due dates, grace periods): in the agency's time
/// zone, not UTC and not the laptop's.
public enum AgencyCalendar {
    public static let timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt

    public static func day(of date: Date, in zone: TimeZone = timeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDate.string(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }
}
