import Foundation
import GRDB
import HomeshoreCore

/// One line of the day's chase list, with why it is there.
public struct FollowUpItem: Sendable, Equatable {
    public enum Reason: String, Sendable {
        case callbackDue = "callback-due"
        case promiseDue = "promise-due"
        case promiseBroken = "promise-broken"
        case instalmentDue = "instalment-due"
        case instalmentMissed = "instalment-missed"
    }

    public var dossier: DossierRecord
    public var reason: Reason
    public var detail: String
}

extension Replica {
    /// The day's chase list, offline: callbacks due, promises and instalments due, and promises or
    /// instalments broken since the debtor was last called. Disputed dossiers stay out of it.
    public func followUp(now: Date = Date()) throws -> [FollowUpItem] {
        let today = AgencyCalendar.day(of: now)
        let stamp = Timestamp.string(from: now)
        return try read { db in
            var items: [FollowUpItem] = []
            // Only dossiers the work list says have something to chase today are read (Replica+WorkList):
            // a callback due, an active promise due, or a promise broken since the last call; and not a
            // disputed (here or on the hub), paid or closed one, which is not chased until the dispute is resolved.
            // `+w.portfolio` keeps SQLite from walking the whole (portfolio, reference) index to avoid a
            // sort: the three partial indexes find the few candidates, which are then sorted.
            for text in try String.fetchAll(db, sql: """
                SELECT d.record FROM work_list w JOIN dossiers d ON d.id = w.dossier_id
                WHERE w.chased = 1 AND (w.callback <= :stamp OR w.first_due <= :today OR w.broken = 1)
                ORDER BY +w.portfolio, w.reference
                """, arguments: ["stamp": stamp, "today": today]) {
                let dossier = try Self.overlaid(db, try Self.decodeDossier(text))
                let work = dossier.work ?? DossierWork()
                let currency = dossier.currency
                func money(_ amount: Int64) -> String { Money.describe(amount, currency: currency) }
                if let callback = dossier.nextCallback, callback <= stamp {
                    items.append(FollowUpItem(dossier: dossier, reason: .callbackDue, detail: "callback due since \(callback)"))
                }
                let lastCall = try Self.calls(db, dossierId: dossier.id).map(\.time).max()
                for promise in work.promises {
                    let what = promise.instalment.map { "instalment \($0) of \(money(promise.amount))" } ?? "promise of \(money(promise.amount))"
                    switch promise.state {
                    case .active where promise.due <= today:
                        let left = promise.amount - promise.paid
                        let detail = "\(what) due \(promise.due)" + (promise.paid > 0 ? ", \(money(left)) still unpaid" : "") + ", grace until \(promise.graceEnd)"
                        items.append(FollowUpItem(dossier: dossier, reason: promise.planId == nil ? .promiseDue : .instalmentDue, detail: detail))
                    case .broken, .partlyKept:
                        // Once the debtor has been called about it, it leaves the list.
                        guard let settled = promise.settledAt.flatMap(Timestamp.parse), lastCall.map({ $0 < settled }) ?? true else { continue }
                        if promise.planId != nil, work.plans.first(where: { $0.id == promise.planId })?.state == .cancelled { continue }
                        let detail = "\(what) due \(promise.due) \(promise.state == .broken ? "broken" : "partly kept (\(money(promise.paid)) paid)")"
                        items.append(FollowUpItem(dossier: dossier, reason: promise.planId == nil ? .promiseBroken : .instalmentMissed, detail: detail))
                    default:
                        continue
                    }
                }
            }
            return items
        }
    }
}
