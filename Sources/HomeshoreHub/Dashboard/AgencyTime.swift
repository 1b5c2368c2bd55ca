import Foundation
import HomeshoreCore

/// Instants as people at the agency read them: their own clock, to the minute.
enum AgencyTime {
    /// `2027-01-10 11:05` in the agency's time zone; the text as given when it is not an instant.
    static func display(_ iso: String?) -> String {
        guard let iso, !iso.isEmpty else { return "" }
        guard let date = Timestamp.parse(iso) else { return iso }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AgencyCalendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return CalendarDate.string(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            + String(format: " %02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    static var zoneName: String { AgencyCalendar.timeZone.identifier }
}
