/// Due dates of an instalment plan. Month steps keep the first instalment's day of month, clamped at
/// month end (31 Jan → 28/29 Feb → 31 Mar), so a debtor paid on the 31st never drifts to the 28th.
public enum InstalmentSchedule {
    public enum Step: String, CaseIterable, Sendable {
        case oneMonth = "1m", twoWeeks = "2w", oneWeek = "1w"
    }

    public static func dates(first: String, count: Int, every step: Step) -> [String]? {
        guard let start = CalendarDate.components(first), count >= 1 else { return nil }
        return (0..<count).map { index in
            switch step {
            case .oneMonth:
                let months = start.month - 1 + index
                let year = start.year + months / 12
                let month = months % 12 + 1
                let day = min(start.day, CalendarDate.daysIn(month: month, year: year))
                return CalendarDate.string(year: year, month: month, day: day)
            case .twoWeeks:
                return CalendarDate.adding(days: 14 * index, to: first) ?? first
            case .oneWeek:
                return CalendarDate.adding(days: 7 * index, to: first) ?? first
            }
        }
    }
}
