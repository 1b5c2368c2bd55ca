import Foundation

/// When a debtor may be called, week by week, in the DEBTOR's wall-clock time (DESIGN §6): calling
/// rules are about the debtor's day, not the agent's, so an agent in Paris calling New York or
/// La Réunion must be checked against New York or Réunion hours.
///
/// Written as text so a supervisor can type it in a portfolio policy:
/// `"mon-fri 08:00-20:00, sat 09:00-13:00"`: comma-separated entries, each a day (`mon`) or a
/// forward day range (`mon-fri`) followed by one or more `HH:MM-HH:MM` time ranges
/// (`"mon-fri 08:00-12:30 14:00-20:00"`). Ranges are half-open (`08:00-20:00` is open at 19:59:59,
/// closed at 20:00); `24:00` may end a range. A day named in several entries gets all their ranges;
/// overlapping or touching ranges are merged, so `description` is one canonical text for one window.
///
/// Local time is read with a Foundation `Calendar` in the debtor's `TimeZone`, so daylight-saving
/// changes are honoured: on a spring-forward day the skipped hour is never open, on a fall-back day
/// the repeated hour is open both times it happens.
public struct CallingWindow: Sendable, Hashable, Codable, CustomStringConvertible {
    /// ISO weekday order (Monday first), the order the text and `description` use.
    public enum Weekday: Int, CaseIterable, Sendable, Hashable, Comparable, Codable {
        case mon = 1, tue, wed, thu, fri, sat, sun

        /// The three-letter name the window text uses.
        public var name: String {
            switch self {
            case .mon: "mon"
            case .tue: "tue"
            case .wed: "wed"
            case .thu: "thu"
            case .fri: "fri"
            case .sat: "sat"
            case .sun: "sun"
            }
        }

        public init?(name: String) {
            guard let day = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
            self = day
        }

        /// From Foundation's `Calendar` weekday (1 = Sunday … 7 = Saturday).
        public init(calendarWeekday: Int) {
            self = Weekday(rawValue: (calendarWeekday + 5) % 7 + 1) ?? .mon
        }

        public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A half-open range of wall-clock minutes in one day: `start ..< end`, `0 ≤ start < end ≤ 1440`.
    public struct TimeRange: Sendable, Hashable, Comparable {
        public let start: Int
        public let end: Int

        /// Nil unless `0 ≤ start < end ≤ 24 × 60`.
        public init?(startMinute: Int, endMinute: Int) {
            guard startMinute >= 0, startMinute < endMinute, endMinute <= 24 * 60 else { return nil }
            start = startMinute
            end = endMinute
        }

        public func contains(secondOfDay: Int) -> Bool { secondOfDay >= start * 60 && secondOfDay < end * 60 }

        /// `HH:MM-HH:MM`.
        public var text: String { Self.clock(start) + "-" + Self.clock(end) }

        static func clock(_ minutes: Int) -> String {
            let hours = String(minutes / 60), mins = String(minutes % 60)
            return (hours.count < 2 ? "0" : "") + hours + ":" + (mins.count < 2 ? "0" : "") + mins
        }

        public static func < (lhs: TimeRange, rhs: TimeRange) -> Bool { (lhs.start, lhs.end) < (rhs.start, rhs.end) }
    }

    /// Open ranges per weekday, sorted and merged; a day with no entry is closed all day.
    public let schedule: [Weekday: [TimeRange]]

    /// The default window when a portfolio sets none: weekdays 08:00–20:00, Saturday morning.
    public static let standard = CallingWindow(validated: [
        .mon: [TimeRange(startMinute: 480, endMinute: 1200)!], .tue: [TimeRange(startMinute: 480, endMinute: 1200)!],
        .wed: [TimeRange(startMinute: 480, endMinute: 1200)!], .thu: [TimeRange(startMinute: 480, endMinute: 1200)!],
        .fri: [TimeRange(startMinute: 480, endMinute: 1200)!], .sat: [TimeRange(startMinute: 540, endMinute: 780)!],
    ])

    /// Builds a window from ranges per day (merging overlaps). Throws `invalid_window` if no day has a range:
    /// a window never open would silently stop every call.
    public init(schedule: [Weekday: [TimeRange]]) throws {
        let merged = Self.normalized(schedule)
        guard !merged.isEmpty else { throw HomeshoreError("invalid_window", "Invalid calling window: it has no open time range.") }
        self.schedule = merged
    }

    private init(validated schedule: [Weekday: [TimeRange]]) {
        self.schedule = Self.normalized(schedule)
    }

    /// Parses window text; the error message names the offending part and its 1-based character position.
    public init(parsing text: String) throws {
        var schedule: [Weekday: [TimeRange]] = [:]
        for (entry, entryStart) in Self.split(Array(text), separator: { $0 == "," }, keepEmpty: true) {
            let tokens = Self.split(entry, separator: { $0.isWhitespace }, keepEmpty: false)
            guard let (dayToken, dayPosition) = tokens.first else {
                if text.allSatisfy(\.isWhitespace) { throw Self.failure("it is empty; write e.g. \"\(Self.standard)\"") }
                throw Self.failure("empty entry at position \(entryStart + 1)")
            }
            let days = try Self.parseDays(String(dayToken), position: entryStart + dayPosition + 1)
            guard tokens.count > 1 else {
                throw Self.failure("\"\(String(dayToken))\" at position \(entryStart + dayPosition + 1) has no time range (e.g. \(String(dayToken)) 08:00-20:00)")
            }
            for (token, offset) in tokens.dropFirst() {
                let range = try Self.parseRange(String(token), position: entryStart + offset + 1)
                for day in days { schedule[day, default: []].append(range) }
            }
        }
        self.schedule = Self.normalized(schedule)
    }

    /// Canonical text: days Monday first, runs of consecutive days with the same ranges written `mon-fri`.
    public var description: String {
        var entries: [String] = []
        var index = 0
        let days = Weekday.allCases
        while index < days.count {
            guard let ranges = schedule[days[index]], !ranges.isEmpty else { index += 1; continue }
            var last = index
            while last + 1 < days.count, schedule[days[last + 1]] == ranges { last += 1 }
            let dayText = last == index ? days[index].name : days[index].name + "-" + days[last].name
            entries.append(([dayText] + ranges.map(\.text)).joined(separator: " "))
            index = last + 1
        }
        return entries.joined(separator: ", ")
    }

    /// The ranges open on a weekday, sorted; empty when closed all day.
    public func ranges(on day: Weekday) -> [TimeRange] { schedule[day] ?? [] }

    /// Whether a call at `date` falls in the window, reading the wall clock of `zone` (the debtor's).
    public func isOpen(at date: Date, in zone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute, .second], from: date)
        guard let weekday = parts.weekday else { return false }
        let second = (parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0)
        return ranges(on: Weekday(calendarWeekday: weekday)).contains { $0.contains(secondOfDay: second) }
    }

    /// The earliest instant at or after `date` when the window is open (so `date` itself when it is
    /// open now), looking at most 8 days ahead; nil if it does not open in that time.
    ///
    /// The open/closed state only changes where the local clock reaches a range's start or end, or
    /// where the zone's UTC offset changes (daylight saving). So the answer is the first of those
    /// instants that is open; the instants are computed from the zone's UTC offsets rather than
    /// `Calendar.date(from:)`, whose handling of times skipped by a spring-forward is not specified.
    public func nextOpening(after date: Date, in zone: TimeZone) -> Date? {
        if isOpen(at: date, in: zone) { return date }
        let limit = date.addingTimeInterval(8 * 86_400)
        var candidates: [Date] = []
        // Offset changes (both directions) may open the window in the middle of a range.
        var cursor = date
        while let change = zone.nextDaylightSavingTimeTransition(after: cursor), change <= limit {
            candidates.append(change)
            cursor = change
        }
        // Local starts of each range on each local day from the day of `date` to 8 days later.
        let firstLocalDay = Int(((date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))) / 86_400).rounded(.down))
        for dayNumber in (firstLocalDay - 1)...(firstLocalDay + 9) {
            let weekday = Weekday(rawValue: ((dayNumber + 3) % 7 + 7) % 7 + 1) ?? .mon
            for range in ranges(on: weekday) {
                let local = Double(dayNumber) * 86_400 + Double(range.start * 60)
                candidates.append(contentsOf: Self.instants(ofLocal: local, in: zone))
            }
        }
        return candidates.filter { $0 > date && $0 <= limit }.sorted().first { isOpen(at: $0, in: zone) }
    }

    // MARK: Codable as its text

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch let error as HomeshoreError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Helpers

    /// `Mon 2027-03-29 08:00` in `zone`, for messages that tell an agent a debtor's local time.
    public static func localText(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        let day = Weekday(calendarWeekday: parts.weekday ?? 2).name
        return day.prefix(1).uppercased() + day.dropFirst() + " "
            + CalendarDate.string(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) + " "
            + TimeRange.clock((parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    /// The UTC instants whose wall-clock time in `zone` is `local` (seconds since 1970 as if the
    /// wall clock were UTC): none in a spring-forward gap, two in a fall-back overlap.
    static func instants(ofLocal local: Double, in zone: TimeZone) -> [Date] {
        var offsets: Set<Int> = []
        for probe in stride(from: -129_600.0, through: 129_600.0, by: 43_200.0) {
            offsets.insert(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local + probe)))
        }
        return offsets.compactMap { offset in
            let instant = Date(timeIntervalSince1970: local - Double(offset))
            return zone.secondsFromGMT(for: instant) == offset ? instant : nil
        }
    }

    static func normalized(_ schedule: [Weekday: [TimeRange]]) -> [Weekday: [TimeRange]] {
        var result: [Weekday: [TimeRange]] = [:]
        for (day, ranges) in schedule {
            var merged: [TimeRange] = []
            for range in ranges.sorted() {
                if let last = merged.last, range.start <= last.end {
                    merged[merged.count - 1] = TimeRange(startMinute: last.start, endMinute: max(last.end, range.end)) ?? last
                } else {
                    merged.append(range)
                }
            }
            if !merged.isEmpty { result[day] = merged }
        }
        return result
    }

    static func failure(_ detail: String) -> HomeshoreError {
        HomeshoreError("invalid_window", "Invalid calling window: \(detail).")
    }

    /// Splits characters into pieces with the 0-based offset of each piece's first character.
    static func split(_ characters: some Collection<Character>, separator: (Character) -> Bool,
                      keepEmpty: Bool) -> [(ArraySlice<Character>, Int)] {
        let all = Array(characters)
        var pieces: [(ArraySlice<Character>, Int)] = []
        var start = 0
        for index in 0...all.count where index == all.count || separator(all[index]) {
            if keepEmpty || index > start { pieces.append((all[start..<index], start)) }
            start = index + 1
        }
        return pieces
    }

    static func parseDays(_ token: String, position: Int) throws -> [Weekday] {
        let names = token.split(separator: "-", omittingEmptySubsequences: false)
        let days = names.map { Weekday(name: String($0)) }
        guard (names.count == 1 || names.count == 2), let first = days.first ?? nil, let last = days.last ?? nil else {
            throw failure("unknown day \"\(token)\" at position \(position) (use mon tue wed thu fri sat sun, or a range like mon-fri)")
        }
        guard first <= last else {
            throw failure("day range \"\(token)\" at position \(position) runs backwards (write days Monday first, e.g. mon-fri)")
        }
        return Weekday.allCases.filter { $0 >= first && $0 <= last }
    }

    static func parseRange(_ token: String, position: Int) throws -> TimeRange {
        let bounds = token.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let start = clockMinutes(bounds[0]), let end = clockMinutes(bounds[1]),
              start < 24 * 60 else {
            throw failure("invalid time range \"\(token)\" at position \(position) (expected HH:MM-HH:MM, e.g. 08:00-20:00)")
        }
        guard let range = TimeRange(startMinute: start, endMinute: end) else {
            throw failure("time range \"\(token)\" at position \(position) does not end after it starts")
        }
        return range
    }

    /// `H:MM` or `HH:MM`, 00:00 to 24:00.
    static func clockMinutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }),
              let hours = Int(parts[0]), let minutes = Int(parts[1]), minutes < 60,
              hours < 24 || (hours == 24 && minutes == 0)
        else { return nil }
        return hours * 60 + minutes
    }
}
