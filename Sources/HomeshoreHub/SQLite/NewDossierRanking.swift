import Foundation
import HomeshoreCore

/// Segment and hand-out priority of the dossiers one import creates: placed now, with no callback,
/// promise or contact, their balance the amount due. That is what `Priority.Input.from` reads from
/// such a dossier; built here from the row, because parsing each placement instant back, splitting
/// each due date and scoring each row from scratch was a sixth of a 100,000-row import.
struct NewDossierRanking {
    let now: Date
    let today: String
    private let todayNumber: Int
    private var dueDays: [String: Int] = [:]
    /// Score without the balance's term, by the terms it depends on: a file has few segments,
    /// currencies and due dates. The balance's term (`Priority.amountPoints`) is added to it.
    private var baseScores: [BaseKey: Int] = [:]

    private struct BaseKey: Hashable {
        var segment: Segment
        var currency: String
        var daysPastDue: Int
    }

    init(now: Date) {
        self.now = now
        today = AgencyCalendar.day(of: now)
        todayNumber = CalendarDate.dayNumber(today) ?? 0
    }

    mutating func rank(_ row: DossierImportRow) -> (segment: String, priority: Int) {
        let segment = Segment.of(vip: row.vip, customerSince: row.customerSince, priorIncidents: row.priorIncidents,
                                 amountDue: row.amountDue, today: today)
        let daysPastDue = max(0, todayNumber - dueDay(row.dueDate))
        let key = BaseKey(segment: segment, currency: row.currency, daysPastDue: daysPastDue)
        let base: Int
        if let known = baseScores[key] {
            base = known
        } else {
            base = Priority.score(input(segment: segment, balance: 0, currency: row.currency, daysPastDue: daysPastDue), now: now).value
            baseScores[key] = base
        }
        return (segment.rawValue, base + Priority.amountPoints(row.amountDue, currency: row.currency))
    }

    /// The input `Priority.Input.from` builds for such a dossier (tests compare the two).
    func input(segment: Segment, balance: Int64, currency: String, daysPastDue: Int) -> Priority.Input {
        Priority.Input(daysSincePlacement: 0, segment: segment, balance: balance, currency: currency, daysPastDue: daysPastDue)
    }

    /// Day number of a due date (a checked YYYY-MM-DD); a day not past when it cannot be read, as in `Input.from`.
    private mutating func dueDay(_ text: String) -> Int {
        if let known = dueDays[text] { return known }
        let day = CalendarDate.dayNumber(String(text.prefix(10))) ?? todayNumber
        dueDays[text] = day
        return day
    }
}
