import HomeshoreCore

/// A report period cut into what the rollups hold: whole months (`metrics_monthly`) and days
/// (`metrics_daily`) added to or taken from them. A month the period only partly covers is read
/// either as its days inside the period, or as the whole month less its days outside, whichever
/// reads fewer days: a year of figures then costs about twelve monthly rows and a few days per
/// agent, instead of 365 daily rows.
struct RollupPeriod: Equatable {
    /// Months `YYYY-MM` from `first` to `last`, both included; nil bounds are open.
    struct Months: Equatable {
        var first: String?
        var last: String?
    }

    /// Days `YYYY-MM-DD` from `first` to `last`, both included, added (`sign` 1) or taken away (-1).
    struct Days: Equatable {
        var first: String
        var last: String
        var sign: Int
    }

    var months: Months?
    var days: [Days] = []

    /// `from` and `to` are checked agency days (YYYY-MM-DD), `from` <= `to`; nil is open.
    init(from: String?, to: String?) {
        var first: String?
        var last: String?
        if let from, let to, from.prefix(7) == to.prefix(7) {
            // One month: its days, or the month less the days around them.
            guard let bounds = Self.bounds(of: from) else { days = [Days(first: from, last: to, sign: 1)]; return }
            let inside = Self.count(from, to)
            if inside <= bounds.length - inside {
                days = [Days(first: from, last: to, sign: 1)]
                return
            }
            months = Months(first: String(from.prefix(7)), last: String(from.prefix(7)))
            if from > bounds.first, let before = CalendarDate.adding(days: -1, to: from) {
                days.append(Days(first: bounds.first, last: before, sign: -1))
            }
            if to < bounds.last, let after = CalendarDate.adding(days: 1, to: to) {
                days.append(Days(first: after, last: bounds.last, sign: -1))
            }
            return
        }
        if let from {
            if let bounds = Self.bounds(of: from), from > bounds.first {
                let inside = Self.count(from, bounds.last)
                if inside <= bounds.length - inside {
                    days.append(Days(first: from, last: bounds.last, sign: 1))
                    first = CalendarDate.adding(days: 1, to: bounds.last).map { String($0.prefix(7)) }
                } else {
                    first = String(from.prefix(7))
                    if let before = CalendarDate.adding(days: -1, to: from) { days.append(Days(first: bounds.first, last: before, sign: -1)) }
                }
            } else {
                first = String(from.prefix(7))
            }
        }
        if let to {
            if let bounds = Self.bounds(of: to), to < bounds.last {
                let inside = Self.count(bounds.first, to)
                if inside <= bounds.length - inside {
                    days.append(Days(first: bounds.first, last: to, sign: 1))
                    last = CalendarDate.adding(days: -1, to: bounds.first).map { String($0.prefix(7)) }
                } else {
                    last = String(to.prefix(7))
                    if let after = CalendarDate.adding(days: 1, to: to) { days.append(Days(first: after, last: bounds.last, sign: -1)) }
                }
            } else {
                last = String(to.prefix(7))
            }
        }
        if first == nil || last == nil || first! <= last! { months = Months(first: first, last: last) }
    }

    /// First and last day of the month holding `day`, and its number of days.
    static func bounds(of day: String) -> (first: String, last: String, length: Int)? {
        guard let parts = CalendarDate.components(day) else { return nil }
        let length = CalendarDate.daysIn(month: parts.month, year: parts.year)
        return (CalendarDate.string(year: parts.year, month: parts.month, day: 1),
                CalendarDate.string(year: parts.year, month: parts.month, day: length), length)
    }

    /// Days from `first` to `last`, both included.
    static func count(_ first: String, _ last: String) -> Int {
        guard let a = CalendarDate.dayNumber(first), let b = CalendarDate.dayNumber(last) else { return 0 }
        return b - a + 1
    }
}
