import Foundation
import HomeshoreCore

/// When a dossier next needs time-driven upkeep at a sync: the first agency day after a promise's
/// grace, or the end of a closed dossier's retention. Kept on the dossier whenever it is settled, so
/// a sync asks an index for what fell due instead of reading every promise or closed dossier it holds.
enum Upkeep {
    static func dueAt(activePromises: [(due: String, graceDays: Int)], closedAt: String?, retentionDays: Int) -> Date? {
        // Grace ends with the day `due + grace`; settling is due from the start of the next day.
        let graceEnds = activePromises.compactMap { promise in
            CalendarDate.adding(days: promise.graceDays + 1, to: promise.due).flatMap { AgencyCalendar.startOfDay($0) }
        }
        let retentionEnds = closedAt.flatMap(Timestamp.parse).map { $0.addingTimeInterval(Double(retentionDays) * 86_400) }
        return (graceEnds + [retentionEnds].compactMap { $0 }).min()
    }

    /// A closed dossier leaves the agent once its retention period is over.
    static func retentionOver(closedAt: String?, retentionDays: Int, now: Date) -> Bool {
        guard let closed = closedAt.flatMap(Timestamp.parse) else { return false }
        return now.timeIntervalSince(closed) > Double(retentionDays) * 86_400
    }
}
