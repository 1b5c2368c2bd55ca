import Foundation
@testable import HomeshoreCore
import Testing

/// One strict reader for dates and times: fixed-width ASCII digits in range, nothing signed.
struct StrictTimeParsingTests {
    @Test(arguments: ["2027-+1-+5", "2027-01-+5", "+027-01-05", "2026-+1-01", "2026-1-01", "2026-01-1 ", "2026-٠١-01", "2026-00-10",
                      "2026-02-29", "2026-13-01", "1899-12-31", "2201-01-01", "2026/01/01"])
    func signedOrMalformedDatesAreRefused(_ text: String) {
        #expect(!CalendarDate.isValid(text), "\(text)")
    }

    @Test(arguments: ["2028-02-29", "2026-12-31", "1900-01-01"])
    func realDatesAreAccepted(_ text: String) {
        #expect(CalendarDate.isValid(text))
    }

    @Test(arguments: ["2026-12-01T10:-5:00Z", "2026-12-01T+1:05:00Z", "2026-12-01T10:05:-1Z", "2026-12-01T10:05:00.-12Z",
                      "2026-12-01T10:05:00+1:00", "2026-12-01T10:05:00+01:-1", "2026-12-01T10:05:00+19:00", "2026-12-01T24:00:00Z",
                      "2026-12-01T10:60:00Z", "2026-12-01T10:05:00", "2026-12-01 10:05:00Z", "2026-12-01T10:05:00.Z",
                      "2026-12-01T10:05:00ZZ", "2026-02-30T10:00:00Z", "2026-12-01T10:05:00.1234567890Z", "2026-12-01T10|05|00Z"])
    func signedOrMalformedTimesAreRefused(_ text: String) {
        #expect(Timestamp.parse(text) == nil, "\(text)")
    }

    @Test func offsetsAndFractionsReadAsTheSameInstant() throws {
        let utc = try #require(Timestamp.parse("2026-12-01T09:30:00.250Z"))
        #expect(Timestamp.string(from: utc) == "2026-12-01T09:30:00.250Z")
        #expect(Timestamp.parse("2026-12-01T10:30:00.250+01:00") == utc)
        #expect(Timestamp.parse("2026-12-01T04:00:00.25-05:30") == utc)
        #expect(Timestamp.parse("2026-12-01t09:30:00.250999z") == utc)
        #expect(Timestamp.parse("2026-12-01T09:30:00Z") == utc.addingTimeInterval(-0.25))
        #expect(Timestamp.canonical("2027-03-28T03:30:00+02:00") == "2027-03-28T01:30:00.000Z")
    }

    @Test func clockStampsWithSignsAreMalformed() {
        #expect(HLCStamp("+00001790000000-000000-node") == nil)
        #expect(HLCStamp("001790000000000-+00001-node") == nil)
        #expect(HLCStamp("001790000000000-000001-node") != nil)
    }

    @Test func aClockThatSawAnyStampCanStillRecord() throws {
        let now = try #require(Timestamp.parse("2026-12-02T10:00:00Z"))
        var clock = HybridLogicalClock(node: "laptop")
        clock.observe(try #require(HLCStamp("999999999999999-999999-forged")), now: now)
        for _ in 0..<3 {
            let stamp = clock.tick(now: now)
            #expect(HLCStamp(stamp.description) == stamp, "\(stamp)")
            #expect(stamp.millis <= Int64((now.timeIntervalSince1970 + Limits.maxClockSkewSeconds) * 1000) + 1)
        }
        // A clock already stored far ahead (a laptop bricked before this fix) comes back within bounds.
        var bricked = HybridLogicalClock(node: "laptop", last: HLCStamp(millis: 999_999_999_999_999, counter: 999_999, node: "laptop"))
        let stamp = bricked.tick(now: now)
        #expect(HLCStamp(stamp.description) == stamp)
        #expect(stamp.millis < 999_999_999_999_999)
    }

    @Test func aCounterAtItsLimitMovesToTheNextMillisecond() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var clock = HybridLogicalClock(node: "n", last: HLCStamp(millis: 1_790_000_000_000, counter: HLCStamp.maxCounter, node: "n"))
        let stamp = clock.tick(now: now)
        #expect(stamp.millis == 1_790_000_000_001 && stamp.counter == 0)
        #expect(HLCStamp(stamp.description) == stamp)
    }
}

struct LocalTimeParsingTests {
    let paris = TimeZone(identifier: "Europe/Paris")!

    @Test func aTypedTimeReadsInTheGivenZone() {
        #expect(Timestamp.parseLocal("2026-12-02 10:00", in: paris).map(Timestamp.string(from:)) == "2026-12-02T09:00:00.000Z")
        #expect(Timestamp.parseLocal("2026-07-02T10:00:30", in: paris).map(Timestamp.string(from:)) == "2026-07-02T08:00:30.000Z")
    }

    @Test(arguments: ["2026-12-02 10:-5", "2026-12-02 +1:05", "2026-+1-02 10:00", "2026-12-02 24:00", "2026-12-02 10:5",
                      "2026-12-02  10:05", "2026-12-02 10:05:+1", "2027-03-28 02:30"])
    func signedMalformedOrSkippedTimesAreRefused(_ text: String) {
        #expect(Timestamp.parseLocal(text, in: paris) == nil, "\(text)")
    }

    @Test func theRepeatedHourReadsAsItsFirstOccurrence() {
        #expect(Timestamp.parseLocal("2026-10-25 02:30", in: paris).map(Timestamp.string(from:)) == "2026-10-25T00:30:00.000Z")
    }
}
