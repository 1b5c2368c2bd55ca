import Foundation

/// A portfolio's rules for calling a debtor (DESIGN §6): when, how often, and how long to leave a
/// debtor alone after reaching them. Collection codes of conduct limit pressure on debtors; the
/// client checks them offline before `homeshore next` offers a dossier, the hub before handing one out.
public struct ContactPolicy: Sendable, Equatable, Codable {
    /// When calls are allowed, in the debtor's time zone.
    public var window: CallingWindow
    /// Most calls (by any agent) on one dossier in any rolling 7 × 24 hours.
    public var maxAttempts7d: Int
    /// After the debtor was reached, how long before calling again (unless they asked for a callback).
    public var restAfterContact: TimeInterval

    public init(window: CallingWindow = .standard, maxAttempts7d: Int = 3, restAfterContact: TimeInterval = 48 * 3_600) {
        self.window = window
        self.maxAttempts7d = maxAttempts7d
        self.restAfterContact = restAfterContact
    }

    /// `maxAttempts7D` is how the wire's `max_attempts7d` reads back through `.convertFromSnakeCase`
    /// (Foundation capitalises after a digit); without it the portfolio's cap was lost on every laptop.
    enum CodingKeys: String, CodingKey { case window, maxAttempts7d, maxAttempts7D, restAfterContact }

    /// Missing fields take the defaults; the rest period travels as duration text (`"48h"`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ContactPolicy()
        window = try container.decodeIfPresent(CallingWindow.self, forKey: .window) ?? defaults.window
        maxAttempts7d = try container.decodeIfPresent(Int.self, forKey: .maxAttempts7d)
            ?? container.decodeIfPresent(Int.self, forKey: .maxAttempts7D) ?? defaults.maxAttempts7d
        if let text = try container.decodeIfPresent(String.self, forKey: .restAfterContact) {
            do {
                restAfterContact = try PolicyDuration.parse(text)
            } catch let error as HomeshoreError {
                throw DecodingError.dataCorruptedError(forKey: .restAfterContact, in: container, debugDescription: error.message)
            }
        } else {
            restAfterContact = defaults.restAfterContact
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(window, forKey: .window)
        try container.encode(maxAttempts7d, forKey: .maxAttempts7d)
        try container.encode(PolicyDuration.format(restAfterContact), forKey: .restAfterContact)
    }
}

/// Checks a planned call against a `ContactPolicy`. Pure: the caller supplies the attempts of every
/// agent on the dossier (the cap is per dossier, not per agent) and the current time.
public enum ContactRules {
    /// Why a call may not be made now. Each carries the instants its message needs.
    public enum Violation: Sendable, Equatable {
        /// Outside the calling window in the debtor's zone; `nextOpening` is nil if it does not open within 8 days.
        case outsideWindow(nextOpening: Date?, debtorTimeZone: TimeZone)
        /// `attempts` calls in the rolling 7 days, the earliest at `since`; calling is possible again from
        /// `until`, when the oldest counted call drops out (nil when the limit is 0 or less).
        case attemptCap(attempts: Int, limit: Int, since: Date?, until: Date?)
        /// The debtor was reached at `since`; leave them alone until `until`.
        case resting(since: Date, until: Date)

        /// A sentence for the agent, times in the agency's zone (the debtor's for the window).
        public var message: String { message(agentTimeZone: AgencyCalendar.timeZone) }

        /// A sentence for the agent. The window's next opening is given in the debtor's local time
        /// (what the rule is about), followed by the agent's time when the zones differ; other
        /// times are given in `agentTimeZone`.
        public func message(agentTimeZone: TimeZone) -> String {
            func agent(_ date: Date) -> String { CallingWindow.localText(date, in: agentTimeZone) }
            switch self {
            case .outsideWindow(let next, let zone):
                guard let next else {
                    return "Outside the calling window in the debtor's time zone (\(zone.identifier)); it does not open in the next 8 days."
                }
                let local = CallingWindow.localText(next, in: zone)
                let yours = zone.secondsFromGMT(for: next) == agentTimeZone.secondsFromGMT(for: next) ? ""
                    : " (\(agent(next)) \(agentTimeZone.identifier))"
                return "Outside the calling window in the debtor's time zone (\(zone.identifier)); it opens next \(local) debtor's time\(yours)."
            case .attemptCap(let attempts, let limit, let since, let until):
                let from = since.map { " since \(agent($0))" } ?? ""
                let again = until.map { "; next call possible from \(agent($0))" } ?? ""
                return "7-day cap reached: \(attempts) attempt\(attempts == 1 ? "" : "s")\(from) (limit \(limit))\(again)."
            case .resting(let since, let until):
                return "Resting after a right-party contact at \(agent(since)) until \(agent(until))."
            }
        }
    }

    /// Everything that forbids a call at `now`, in this order: window, 7-day cap, rest. Empty means
    /// the call may be made.
    ///
    /// - Window: `policy.window` read in `debtorTimeZone` (never the agent's zone).
    /// - Cap: attempts with time > now − 7 × 24 h count (later ones too: a laptop clock running fast
    ///   must not buy extra calls); the cap is reached when they are `maxAttempts7d` or more.
    /// - Rest: until `lastRightPartyContact + restAfterContact`. A callback the debtor agreed to
    ///   (`callbackDue` after the last right-party contact) that is due (≤ now) lifts the rest: the
    ///   debtor asked to be called. It never lifts the window (nor the cap): if the window is
    ///   closed, that is reported and the callback will still lift the rest once it opens.
    public static func check(policy: ContactPolicy, debtorTimeZone: TimeZone, attempts: [Date],
                             lastRightPartyContact: Date?, callbackDue: Date?, now: Date) -> [Violation] {
        var violations: [Violation] = []
        if !policy.window.isOpen(at: now, in: debtorTimeZone) {
            violations.append(.outsideWindow(nextOpening: policy.window.nextOpening(after: now, in: debtorTimeZone),
                                             debtorTimeZone: debtorTimeZone))
        }
        let week: TimeInterval = 7 * 86_400
        let counted = attempts.filter { $0 > now.addingTimeInterval(-week) }.sorted()
        if counted.count >= policy.maxAttempts7d {
            let until = policy.maxAttempts7d > 0 ? counted[counted.count - policy.maxAttempts7d].addingTimeInterval(week) : nil
            violations.append(.attemptCap(attempts: counted.count, limit: policy.maxAttempts7d, since: counted.first, until: until))
        }
        if let contact = lastRightPartyContact {
            let restEnd = contact.addingTimeInterval(policy.restAfterContact)
            let callbackLifts = callbackDue.map { $0 <= now && $0 > contact } ?? false
            if now < restEnd && !callbackLifts {
                violations.append(.resting(since: contact, until: restEnd))
            }
        }
        return violations
    }
}

extension ContactRules {
    /// How long the 7-day cap and the rest hold a dossier back, as facts that do not move with the
    /// clock: `check` at any `now` reports neither a cap nor a rest exactly when `now` is at or after
    /// the instant this names (up to rounding of `Date` arithmetic). The window depends on the hour
    /// and is checked apart. It lets a work list index the dossiers that can be called now.
    public enum Hold: Sendable, Equatable {
        /// Neither rule holds, at any time.
        case none
        /// Held before this instant, free from it on.
        case until(Date)
        /// The cap holds whatever the time (a limit of 0 or less).
        case always
    }

    /// The `Hold` of a dossier, from the same facts `check` takes; `callback` is the agreed callback
    /// whether due or not (`check` takes it once due).
    ///
    /// - Cap: with the attempts latest first, the limit-th one counts while `now < it + 7 days`;
    ///   later attempts count too, so the cap holds exactly until then.
    /// - Rest: until `lastRightPartyContact + restAfterContact`, or until the callback when one agreed
    ///   after that contact falls due earlier (it lifts the rest once due).
    public static func hold(policy: ContactPolicy, attempts: [Date], lastRightPartyContact: Date?, callback: Date?) -> Hold {
        if policy.maxAttempts7d <= 0 { return .always }
        var until: Date?
        if attempts.count >= policy.maxAttempts7d {
            let latestFirst = attempts.sorted(by: >)
            until = latestFirst[policy.maxAttempts7d - 1].addingTimeInterval(7 * 86_400)
        }
        if let contact = lastRightPartyContact {
            var restEnd = contact.addingTimeInterval(policy.restAfterContact)
            if let callback, callback > contact { restEnd = min(restEnd, callback) }
            until = max(until ?? restEnd, restEnd)
        }
        return until.map(Hold.until) ?? .none
    }
}
