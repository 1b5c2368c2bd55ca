import Foundation
import HomeshoreCore
import Testing

private func utc(_ text: String) -> Date {
    guard let date = Timestamp.parse(text) else { fatalError("bad test timestamp \(text)") }
    return date
}

private func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else { fatalError("unknown zone \(identifier)") }
    return zone
}

private func window(_ text: String) throws -> CallingWindow { try CallingWindow(parsing: text) }

private func parseError(_ text: String) -> HomeshoreError? {
    do {
        _ = try CallingWindow(parsing: text)
        return nil
    } catch let error as HomeshoreError {
        return error
    } catch {
        return nil
    }
}

@Suite struct CallingWindowParsingTests {
    @Test(arguments: [
        ("mon-fri 08:00-20:00, sat 09:00-13:00", "mon-fri 08:00-20:00, sat 09:00-13:00"),
        ("Mon-Fri 8:00-20:00,sat   09:00-13:00 ", "mon-fri 08:00-20:00, sat 09:00-13:00"),
        ("mon-fri 08:00-12:30 14:00-20:00", "mon-fri 08:00-12:30 14:00-20:00"),
        ("mon 14:00-20:00 08:00-12:30", "mon 08:00-12:30 14:00-20:00"),
        ("mon 08:00-12:00, tue 08:00-12:00, wed 08:00-12:00, fri 08:00-12:00", "mon-wed 08:00-12:00, fri 08:00-12:00"),
        ("mon 08:00-12:00 11:00-14:00 14:00-15:00", "mon 08:00-15:00"),
        ("mon-fri 08:00-20:00, sat 09:00-13:00, mon 20:00-21:00", "mon 08:00-21:00, tue-fri 08:00-20:00, sat 09:00-13:00"),
        ("sat-sun 10:00-12:00", "sat-sun 10:00-12:00"),
        ("sun 00:00-24:00", "sun 00:00-24:00"),
        ("wed 09:15-09:45", "wed 09:15-09:45"),
    ])
    func parsesToCanonicalText(text: String, canonical: String) throws {
        let parsed = try window(text)
        #expect(parsed.description == canonical)
        // Canonical text parses back to the same window.
        #expect(try window(parsed.description) == parsed)
    }

    @Test func standardIsTheDocumentedDefault() throws {
        #expect(CallingWindow.standard.description == "mon-fri 08:00-20:00, sat 09:00-13:00")
        #expect(try window("mon-fri 08:00-20:00, sat 09:00-13:00") == .standard)
        #expect(CallingWindow.standard.ranges(on: .sun).isEmpty)
        #expect(CallingWindow.standard.ranges(on: .sat).map(\.text) == ["09:00-13:00"])
    }

    @Test(arguments: [
        ("", "empty"),
        ("   ", "empty"),
        ("mnd 08:00-20:00", "unknown day \"mnd\" at position 1"),
        ("mon-fri 08:00-20:00, sat 9h-13h", "invalid time range \"9h-13h\" at position 26"),
        ("fri-mon 08:00-20:00", "day range \"fri-mon\" at position 1 runs backwards"),
        ("mon-fri 20:00-08:00", "time range \"20:00-08:00\" at position 9 does not end after it starts"),
        ("mon-fri 08:00-08:00", "time range \"08:00-08:00\" at position 9 does not end after it starts"),
        ("mon-fri", "\"mon-fri\" at position 1 has no time range"),
        ("mon-fri 08:00-20:00,", "empty entry at position 21"),
        ("mon-fri 08:00-20:00,, sat 09:00-13:00", "empty entry at position 21"),
        ("mon 08:00-25:00", "invalid time range \"08:00-25:00\" at position 5"),
        ("mon 24:00-24:00", "invalid time range \"24:00-24:00\" at position 5"),
        ("mon 08:60-09:00", "invalid time range \"08:60-09:00\" at position 5"),
        ("mon 08:00-20:00 sat 09:00-13:00", "invalid time range \"sat\" at position 17"),
        ("mon-fri 08:00-20:00, sat-  09:00-13:00", "unknown day \"sat-\" at position 22"),
        ("mon-tue-wed 08:00-09:00", "unknown day \"mon-tue-wed\" at position 1"),
        ("tue 8-20", "invalid time range \"8-20\" at position 5"),
    ])
    func refusesBadTextNamingPartAndPosition(text: String, fragment: String) {
        let error = parseError(text)
        #expect(error?.code == "invalid_window")
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error")")
    }

    @Test func codableAsItsText() throws {
        let data = try JSONEncoder().encode(CallingWindow.standard)
        #expect(String(decoding: data, as: UTF8.self) == "\"mon-fri 08:00-20:00, sat 09:00-13:00\"")
        let decoded = try JSONDecoder().decode(CallingWindow.self, from: Data("\"mon-fri 9:00-18:00\"".utf8))
        #expect(decoded.description == "mon-fri 09:00-18:00")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CallingWindow.self, from: Data("\"everyday\"".utf8)) }
    }
}

@Suite struct CallingWindowTimeZoneTests {
    let paris = zone("Europe/Paris")

    // 28 March 2027 in Paris: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
    @Test func springForwardSundayNight() throws {
        let night = try window("sun 01:00-04:00")
        #expect(!night.isOpen(at: utc("2027-03-27T23:59:59Z"), in: paris))   // 00:59:59 CET
        #expect(night.isOpen(at: utc("2027-03-28T00:00:00Z"), in: paris))    // 01:00 CET
        #expect(night.isOpen(at: utc("2027-03-28T00:59:59Z"), in: paris))    // 01:59:59 CET
        #expect(night.isOpen(at: utc("2027-03-28T01:00:00Z"), in: paris))    // 03:00 CEST
        #expect(night.isOpen(at: utc("2027-03-28T01:59:59Z"), in: paris))    // 03:59:59 CEST
        #expect(!night.isOpen(at: utc("2027-03-28T02:00:00Z"), in: paris))   // 04:00 CEST: two real hours only

        // The skipped hour is never open; next time it exists is the following Sunday.
        let skipped = try window("sun 02:00-03:00")
        #expect(!skipped.isOpen(at: utc("2027-03-28T00:59:59Z"), in: paris))
        #expect(!skipped.isOpen(at: utc("2027-03-28T01:00:00Z"), in: paris))
        #expect(skipped.nextOpening(after: utc("2027-03-27T12:00:00Z"), in: paris) == utc("2027-04-04T00:00:00Z"))

        // A range starting inside the skipped hour opens when the clock jumps to 03:00.
        let late = try window("sun 02:30-04:00")
        #expect(late.nextOpening(after: utc("2027-03-27T23:00:00Z"), in: paris) == utc("2027-03-28T01:00:00Z"))
    }

    // 31 October 2027 in Paris: 03:00 CEST falls back to 02:00 CET at 01:00 UTC.
    @Test func fallBackSundayNight() throws {
        let night = try window("sun 01:00-04:00")
        #expect(!night.isOpen(at: utc("2027-10-30T22:59:59Z"), in: paris))   // 00:59:59 CEST
        #expect(night.isOpen(at: utc("2027-10-30T23:00:00Z"), in: paris))    // 01:00 CEST
        #expect(night.isOpen(at: utc("2027-10-31T00:30:00Z"), in: paris))    // 02:30 CEST
        #expect(night.isOpen(at: utc("2027-10-31T01:30:00Z"), in: paris))    // 02:30 CET, again
        #expect(night.isOpen(at: utc("2027-10-31T02:59:59Z"), in: paris))    // 03:59:59 CET
        #expect(!night.isOpen(at: utc("2027-10-31T03:00:00Z"), in: paris))   // 04:00 CET: four real hours

        // The repeated half hour is open both times.
        let twice = try window("sun 02:00-02:30")
        #expect(twice.isOpen(at: utc("2027-10-31T00:15:00Z"), in: paris))
        #expect(!twice.isOpen(at: utc("2027-10-31T00:45:00Z"), in: paris))
        #expect(twice.isOpen(at: utc("2027-10-31T01:15:00Z"), in: paris))
        #expect(twice.nextOpening(after: utc("2027-10-31T00:40:00Z"), in: paris) == utc("2027-10-31T01:00:00Z"))

        // The clock falls back into the middle of a range whose start it does not cross again.
        let straddle = try window("sun 01:30-02:30")
        #expect(!straddle.isOpen(at: utc("2027-10-31T00:40:00Z"), in: paris))  // 02:40 CEST
        #expect(straddle.nextOpening(after: utc("2027-10-31T00:40:00Z"), in: paris) == utc("2027-10-31T01:00:00Z"))
    }

    @Test func weekdayWindowAroundTheChanges() throws {
        let weekdays = try window("mon-fri 08:00-20:00")
        // Friday 26 March 2027, CET (UTC+1).
        #expect(!weekdays.isOpen(at: utc("2027-03-26T06:59:59Z"), in: paris))
        #expect(weekdays.isOpen(at: utc("2027-03-26T07:00:00Z"), in: paris))
        #expect(weekdays.isOpen(at: utc("2027-03-26T18:59:59Z"), in: paris))
        #expect(!weekdays.isOpen(at: utc("2027-03-26T19:00:00Z"), in: paris))
        // Monday 29 March 2027, CEST (UTC+2): an hour earlier in UTC.
        #expect(!weekdays.isOpen(at: utc("2027-03-29T05:59:59Z"), in: paris))
        #expect(weekdays.isOpen(at: utc("2027-03-29T06:00:00Z"), in: paris))
        #expect(weekdays.isOpen(at: utc("2027-03-29T17:59:59Z"), in: paris))
        #expect(!weekdays.isOpen(at: utc("2027-03-29T18:30:00Z"), in: paris))  // 20:30 CEST
        // Friday 29 October 2027, CEST; Monday 1 November 2027, CET.
        #expect(!weekdays.isOpen(at: utc("2027-10-29T05:59:59Z"), in: paris))
        #expect(weekdays.isOpen(at: utc("2027-10-29T06:00:00Z"), in: paris))
        #expect(!weekdays.isOpen(at: utc("2027-11-01T06:30:00Z"), in: paris))  // 07:30 CET
        #expect(weekdays.isOpen(at: utc("2027-11-01T07:00:00Z"), in: paris))
        #expect(weekdays.isOpen(at: utc("2027-11-01T18:59:59Z"), in: paris))
        #expect(!weekdays.isOpen(at: utc("2027-11-01T19:00:00Z"), in: paris))
        // Weekend closed.
        #expect(!weekdays.isOpen(at: utc("2027-10-30T12:00:00Z"), in: paris))
        #expect(!weekdays.isOpen(at: utc("2027-10-31T12:00:00Z"), in: paris))
    }

    // Tuesday 23 March 2027: New York is already on EDT (UTC−4), Paris still on CET (UTC+1).
    @Test func debtorInNewYorkIsCheckedInNewYorkTime() {
        let newYork = zone("America/New_York")
        let window = CallingWindow.standard
        #expect(!window.isOpen(at: utc("2027-03-23T11:59:00Z"), in: newYork))   // 07:59 NY, 12:59 Paris
        #expect(window.isOpen(at: utc("2027-03-23T11:59:00Z"), in: paris))
        #expect(window.isOpen(at: utc("2027-03-23T12:00:00Z"), in: newYork))    // 08:00 NY
        #expect(window.isOpen(at: utc("2027-03-23T23:30:00Z"), in: newYork))    // 19:30 NY, 00:30 Wed Paris
        #expect(!window.isOpen(at: utc("2027-03-23T23:30:00Z"), in: paris))
        #expect(!window.isOpen(at: utc("2027-03-24T00:00:00Z"), in: newYork))   // 20:00 NY
        // Saturday 13:00 NY is 18:00 Paris.
        #expect(window.isOpen(at: utc("2027-03-27T16:59:00Z"), in: newYork))
        #expect(!window.isOpen(at: utc("2027-03-27T17:00:00Z"), in: newYork))
    }

    // Indian/Reunion is UTC+4 all year.
    @Test func debtorInReunionIsCheckedInReunionTime() {
        let reunion = zone("Indian/Reunion")
        let window = CallingWindow.standard
        #expect(window.isOpen(at: utc("2027-03-23T04:30:00Z"), in: reunion))    // 08:30 Réunion, 05:30 Paris
        #expect(!window.isOpen(at: utc("2027-03-23T04:30:00Z"), in: paris))
        #expect(!window.isOpen(at: utc("2027-03-23T16:30:00Z"), in: reunion))   // 20:30 Réunion, 17:30 Paris
        #expect(window.isOpen(at: utc("2027-03-23T16:30:00Z"), in: paris))
        #expect(window.isOpen(at: utc("2027-03-27T08:59:00Z"), in: reunion))    // Saturday 12:59
        #expect(!window.isOpen(at: utc("2027-03-27T09:00:00Z"), in: reunion))
        // Same rules in summer: no daylight saving in Réunion.
        #expect(window.isOpen(at: utc("2027-07-06T04:00:00Z"), in: reunion))    // Tuesday 08:00
        #expect(!window.isOpen(at: utc("2027-07-06T03:59:59Z"), in: reunion))
    }

    @Test func nextOpeningAcrossAWeekend() throws {
        let window = CallingWindow.standard
        // Saturday 27 March 2027 13:30 CET: closed until Monday 08:00, which is CEST after the change.
        #expect(window.nextOpening(after: utc("2027-03-27T12:30:00Z"), in: paris) == utc("2027-03-29T06:00:00Z"))
        // Friday 20:00 CET: Saturday 09:00 CET.
        #expect(window.nextOpening(after: utc("2027-03-26T19:00:00Z"), in: paris) == utc("2027-03-27T08:00:00Z"))
        // Saturday 13:30 EDT in New York: Monday 08:00 EDT.
        #expect(window.nextOpening(after: utc("2027-03-27T17:30:00Z"), in: zone("America/New_York")) == utc("2027-03-29T12:00:00Z"))
        // Saturday 13:30 in Réunion: Monday 08:00 there.
        #expect(window.nextOpening(after: utc("2027-03-27T09:30:00Z"), in: zone("Indian/Reunion")) == utc("2027-03-29T04:00:00Z"))
        // Open now: now.
        #expect(window.nextOpening(after: utc("2027-03-29T10:00:00Z"), in: paris) == utc("2027-03-29T10:00:00Z"))
        // A one-day window found almost a week later.
        let mondays = try CallingWindow(parsing: "mon 08:00-09:00")
        #expect(mondays.nextOpening(after: utc("2027-03-29T07:00:00Z"), in: paris) == utc("2027-04-05T06:00:00Z"))
        // A lunch break.
        let split = try CallingWindow(parsing: "mon-fri 08:00-12:30 14:00-20:00")
        #expect(split.nextOpening(after: utc("2027-03-29T10:45:00Z"), in: paris) == utc("2027-03-29T12:00:00Z"))
    }
}

@Suite struct PolicyDurationTests {
    @Test(arguments: [("48h", 172_800), ("72h", 259_200), ("2d", 172_800), ("90m", 5_400), ("1d12h", 129_600),
                      (" 48H ", 172_800), ("1d2h30m", 95_400), ("0m", 0), ("366d", 31_622_400)] as [(String, Double)])
    func parsesToSeconds(text: String, seconds: Double) throws {
        #expect(try PolicyDuration.parse(text) == seconds)
    }

    @Test(arguments: ["", "48", "h", "2.5h", "-1h", "1h2d", "1h1h", "48 h", "1w", "367d", "1234567h", "2d 3h", "d12h"])
    func refusesOthers(text: String) {
        do {
            _ = try PolicyDuration.parse(text)
            Issue.record("\"\(text)\" was accepted")
        } catch let error as HomeshoreError {
            #expect(error.code == "invalid_duration")
            #expect(error.message.contains("\"\(text)\""))
            #expect(error.message.contains("e.g. 48h, 2d, 90m or 1d12h"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func formatsBackCanonically() throws {
        #expect(PolicyDuration.format(172_800) == "2d")
        #expect(PolicyDuration.format(129_600) == "1d12h")
        #expect(PolicyDuration.format(5_400) == "1h30m")
        #expect(PolicyDuration.format(0) == "0m")
        #expect(PolicyDuration.format(95) == "1m")
        for text in ["48h", "72h", "2d", "90m", "1d12h", "1d2h30m"] {
            let seconds = try PolicyDuration.parse(text)
            #expect(try PolicyDuration.parse(PolicyDuration.format(seconds)) == seconds)
        }
    }
}

@Suite struct CallingWindowScanTests {
    /// The first open instant found by walking minute by minute (UTC offsets are whole minutes, so an
    /// opening falls on a whole UTC minute unless it is `date` itself).
    private func scan(_ window: CallingWindow, after date: Date, in zone: TimeZone) -> Date? {
        if window.isOpen(at: date, in: zone) { return date }
        var t = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.up) * 60)
        if t == date { t += 60 }
        while t <= date + 8 * 86_400 {
            if window.isOpen(at: t, in: zone) { return t }
            t += 60
        }
        return nil
    }

    @Test func nextOpeningMatchesAMinuteByMinuteScanAroundClockChanges() throws {
        let windows = try ["sun 01:00-04:00", "sun 02:00-02:30", "sun 02:30-04:00", "sun 01:30-02:30 03:00-03:10",
                           "mon-fri 08:00-12:30 14:00-20:00, sat 09:00-13:00"].map(CallingWindow.init(parsing:))
        // Paris (spring and autumn 2027), New York (autumn 2027), Lord Howe (half-hour change, April 2027).
        let cases: [(String, String)] = [("Europe/Paris", "2027-03-27T22:00:00Z"), ("Europe/Paris", "2027-10-30T21:00:00Z"),
                                         ("America/New_York", "2027-11-07T04:00:00Z"), ("Australia/Lord_Howe", "2027-04-03T13:00:00Z")]
        for (identifier, start) in cases {
            let zone = try #require(TimeZone(identifier: identifier))
            for window in windows {
                for step in stride(from: 0.0, through: 6 * 3_600, by: 1_337) {
                    let date = utc(start) + step
                    #expect(window.nextOpening(after: date, in: zone) == scan(window, after: date, in: zone),
                            "\(window) in \(identifier) after \(Timestamp.string(from: date))")
                }
            }
        }
    }
}
