import Foundation

/// Which dossier to work first (DESIGN §6), for the hub's hand-out order and `homeshore next`.
///
/// One formula, the sum of these terms:
///
/// | term                                                      | points                              |
/// |-----------------------------------------------------------|-------------------------------------|
/// | callback due (agreed time ≤ now)                          | 8000                                |
/// | active promise or instalment due today or overdue         | 4000                                |
/// | promise or instalment broken since the last contact       | 2000                                |
/// | first month: placed 0–29 agency days ago                  | 1000                                |
/// | segment (`Segment.weight`)                                | vip 750, repeat-defaulter 500, new-customer 250, standard 0 |
/// | balance, log-scaled                                       | 20 per factor of ten above 1 unit, linear within a decade, 0–100 (100 from 100,000) |
/// | days past the claim's due date                            | 1 per 3 days, 0–60 (60 from 180 days) |
///
/// Each term outweighs the sum of all the terms below it, so the table's order is strictly the
/// order of importance: a due callback (the debtor is waiting for our call) beats anything else, a
/// promise due today beats a broken one (it can still be kept), a broken promise beats a fresh
/// dossier (the debtor just showed bad faith), a fresh dossier beats an old one (most dossiers are
/// solved in their first month), and only then segment, amount and age decide. Several due promises
/// count once: the dossier needs one call. The score is integer arithmetic only, so the hub and every
/// client order the same dossiers the same way; callers break ties themselves (e.g. by reference).
/// Disputed, paid or closed dossiers are not chased at all: callers leave them out before scoring.
public enum Priority {
    public static let callbackDuePoints = 8000
    public static let promiseDuePoints = 4000
    public static let brokenPromisePoints = 2000
    public static let firstMonthPoints = 1000
    /// Placed fewer than this many agency days ago counts as the first month.
    public static let firstMonthDays = 30
    public static let maxAmountPoints = 100
    public static let maxDaysPastDuePoints = 60

    /// What the score looks at, so the hub (from its tables) and the client (from its replica) can
    /// both build it; `from(dossier:lastContact:now:)` builds it from a dossier record.
    public struct Input: Sendable, Equatable {
        /// An active promise or instalment: what is still unpaid and its due agency day.
        public struct Due: Sendable, Equatable {
            public var amount: Int64
            /// Agency day `YYYY-MM-DD`.
            public var due: String
            /// The instalment number for a plan's instalment, nil for a plain promise.
            public var instalment: Int?

            public init(amount: Int64, due: String, instalment: Int? = nil) {
                self.amount = amount
                self.due = due
                self.instalment = instalment
            }
        }

        /// The agreed callback time, if any; it counts once it is due (≤ now).
        public var callbackDue: Date?
        /// Active promises and instalments, due or not yet.
        public var dues: [Due]
        /// A promise or instalment was broken (or only partly kept) after the last call to the debtor.
        public var brokenPromiseSinceLastContact: Bool
        /// Agency days since the hub placed the dossier; nil if unknown.
        public var daysSincePlacement: Int?
        public var segment: Segment
        /// Balance in minor units of `currency`.
        public var balance: Int64
        public var currency: String
        /// Agency days since the claim's due date (0 if not yet due).
        public var daysPastDue: Int

        public init(callbackDue: Date? = nil, dues: [Due] = [], brokenPromiseSinceLastContact: Bool = false,
                    daysSincePlacement: Int? = nil, segment: Segment = .standard, balance: Int64 = 0,
                    currency: String = "EUR", daysPastDue: Int = 0) {
            self.callbackDue = callbackDue
            self.dues = dues
            self.brokenPromiseSinceLastContact = brokenPromiseSinceLastContact
            self.daysSincePlacement = daysSincePlacement
            self.segment = segment
            self.balance = balance
            self.currency = currency
            self.daysPastDue = daysPastDue
        }

        /// The promises and instalments due on or before `today` (an agency day), oldest first.
        public func duesByToday(_ today: String) -> [Due] {
            dues.filter { $0.due <= today }.sorted { ($0.due, $0.instalment ?? 0) < ($1.due, $1.instalment ?? 0) }
        }

        /// Builds the input from a dossier as the hub settled it.
        ///
        /// - callback: `nextCallback`; promises: the active ones of `work` (unpaid remainder);
        /// - broken: a broken or partly kept promise whose `settledAt` is after `lastContact` (or with no
        ///   contact yet), leaving out instalments of a cancelled plan — the same rule as the follow-up list;
        /// - placement: agency day of `placedAt`; days past due: from `dueDate`; both counted in agency days;
        /// - segment: `Segment.of` with the dossier's `vip`, `customerSince`, `priorIncidents`, `amountDue`.
        public static func from(dossier: DossierRecord, lastContact: Date?, now: Date) -> Input {
            let today = AgencyCalendar.day(of: now)
            let todayNumber = CalendarDate.dayNumber(today) ?? 0
            func agencyDayNumber(_ text: String) -> Int? {
                if let instant = Timestamp.parse(text) { return CalendarDate.dayNumber(AgencyCalendar.day(of: instant)) }
                return CalendarDate.dayNumber(String(text.prefix(10)))
            }
            let work = dossier.work ?? DossierWork()
            let cancelledPlans = Set(work.plans.filter { $0.state == .cancelled }.map(\.id))
            let broken = work.promises.contains { promise in
                guard promise.state == .broken || promise.state == .partlyKept,
                      !(promise.planId.map { cancelledPlans.contains($0) } ?? false),
                      let settled = promise.settledAt.flatMap(Timestamp.parse)
                else { return false }
                return lastContact.map { $0 < settled } ?? true
            }
            return Input(
                callbackDue: dossier.nextCallback.flatMap(Timestamp.parse),
                dues: work.activePromises.map { Due(amount: max(0, $0.amount - $0.paid), due: $0.due, instalment: $0.instalment) },
                brokenPromiseSinceLastContact: broken,
                daysSincePlacement: agencyDayNumber(dossier.placedAt).map { todayNumber - $0 },
                segment: Segment.of(vip: dossier.vip, customerSince: dossier.customerSince, priorIncidents: dossier.priorIncidents,
                                    amountDue: dossier.amountDue, today: today),
                balance: dossier.balance,
                currency: dossier.currency,
                daysPastDue: CalendarDate.dayNumber(String(dossier.dueDate.prefix(10))).map { max(0, todayNumber - $0) } ?? 0)
        }
    }

    /// The score and, term by term, why: sentences an agent can read next to the dossier.
    public struct Score: Sendable, Equatable {
        public var value: Int
        public var reasons: [String]

        public init(value: Int, reasons: [String]) {
            self.value = value
            self.reasons = reasons
        }
    }

    /// Scores `input` at `now`. Agency days ("today", "overdue") and the callback's clock time in the
    /// reasons are read in `timeZone`, the agency's by default.
    public static func score(_ input: Input, now: Date, timeZone: TimeZone = AgencyCalendar.timeZone) -> Score {
        var value = 0
        var reasons: [String] = []
        let today = AgencyCalendar.day(of: now, in: timeZone)
        func money(_ amount: Int64) -> String { Money.describe(amount, currency: input.currency) }

        if let callback = input.callbackDue, callback <= now {
            value += callbackDuePoints
            let day = AgencyCalendar.day(of: callback, in: timeZone)
            let clock = String(CallingWindow.localText(callback, in: timeZone).suffix(5))
            reasons.append(day == today ? "callback due at \(clock)" : "callback due since \(day) \(clock)")
        }
        let dues = input.duesByToday(today)
        if !dues.isEmpty {
            value += promiseDuePoints
            for due in dues {
                let what = due.instalment.map { "instalment \($0) of \(money(due.amount))" } ?? "promise of \(money(due.amount))"
                reasons.append(due.due == today ? "\(what) due today" : "\(what) overdue since \(due.due)")
            }
        }
        if input.brokenPromiseSinceLastContact {
            value += brokenPromisePoints
            reasons.append("a promise was broken since the last contact")
        }
        if let days = input.daysSincePlacement, days < firstMonthDays {
            value += firstMonthPoints
            let days = max(0, days)
            reasons.append(days == 0 ? "placed today (first month)" : "placed \(days) day\(days == 1 ? "" : "s") ago (first month)")
        }
        if input.segment.weight > 0 {
            value += input.segment.weight
            reasons.append(input.segment.label)
        }
        let amount = amountPoints(input.balance, currency: input.currency)
        if amount > 0 {
            value += amount
            reasons.append("balance \(money(input.balance))")
        }
        let late = daysPastDuePoints(input.daysPastDue)
        if late > 0 {
            value += late
            reasons.append("\(input.daysPastDue) day\(input.daysPastDue == 1 ? "" : "s") past due")
        }
        return Score(value: value, reasons: reasons)
    }

    /// 20 points per factor of ten of the balance in whole currency units, linear within a decade:
    /// 1 → 0, 10 → 20, 100 → 40, 500 → 48, 1,000 → 60, 10,000 → 80, 100,000 and more → 100.
    /// Log-scaled because 10,000 is not a hundred times as urgent as 100; integers only, so the same
    /// balance scores the same on every machine.
    public static func amountPoints(_ balance: Int64, currency: String) -> Int {
        var scale: Int64 = 1
        for _ in 0..<Money.exponent(of: currency) { scale *= 10 }
        let whole = balance / scale
        guard whole >= 1 else { return 0 }
        var decade = 0
        var power: Int64 = 1
        while decade < 5, power * 10 <= whole {
            power *= 10
            decade += 1
        }
        guard decade < 5 else { return maxAmountPoints }
        return min(maxAmountPoints, 20 * decade + Int(20 * (whole - power) / (9 * power)))
    }

    /// One point per 3 days past due, at most 60: older claims get a nudge, never more than a segment.
    public static func daysPastDuePoints(_ days: Int) -> Int { min(maxDaysPastDuePoints, max(0, days) / 3) }
}
