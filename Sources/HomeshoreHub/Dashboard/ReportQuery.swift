import Foundation
import HomeshoreCore

/// The period and scope of a report or a dashboard page, read from
/// `?from=YYYY-MM-DD&to=YYYY-MM-DD&team=T&portfolio=P`; what is not given comes from `defaults`.
enum ReportQuery {
    static let maxNameLength = 200

    static func filter(_ fields: FormFields, defaults: ReportFilter = ReportFilter()) throws -> ReportFilter {
        var filter = defaults
        for name in ["from", "to"] {
            guard let day = fields.text(name) else { continue }
            guard CalendarDate.isValid(day) else {
                throw HomeshoreError("invalid_date", "The \(name) parameter \"\(day.prefix(40))\" is not a date like 2026-12-01.")
            }
            if name == "from" { filter.from = day } else { filter.to = day }
        }
        if let from = filter.from, let to = filter.to, from > to {
            throw HomeshoreError("invalid_period", "The period starts (from=\(from)) after it ends (to=\(to)).")
        }
        for name in ["team", "portfolio"] {
            guard let value = fields.text(name) else { continue }
            guard value.count <= maxNameLength else {
                throw HomeshoreError("invalid_\(name)", "The \(name) parameter is longer than \(maxNameLength) characters.")
            }
            if name == "team" { filter.team = value } else { filter.portfolio = value }
        }
        return filter
    }

    /// The last `days` agency days up to today, both included.
    static func lastDays(_ days: Int, now: Date) -> ReportFilter {
        let today = AgencyCalendar.day(of: now)
        return ReportFilter(from: CalendarDate.adding(days: -(days - 1), to: today), to: today)
    }
}
