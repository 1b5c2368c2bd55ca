import Foundation
import HomeshoreClient
import HomeshoreCore
import Testing

/// `CommandInput.display` computes local times from the zone's offset instead of a DateFormatter per
/// line (issue 10); it must print exactly what the formatter printed, across DST changes and zones.
@Suite struct CommandInputDisplayTests {
    static func formatted(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    @Test func localTimesAreWhatAPOSIXFormatterPrints() throws {
        let zones = ["Europe/Paris", "America/New_York", "Indian/Reunion", "Asia/Kolkata", "Pacific/Chatham", "UTC", "America/St_Johns"]
            .compactMap(TimeZone.init(identifier:))
        var random = SeededRandom(seed: 31)
        var instants = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: -86_401)]
        // Both 2027 daylight-saving changes in Paris, to the second.
        for text in ["2027-03-28T00:59:59Z", "2027-03-28T01:00:00Z", "2027-10-31T00:59:59Z", "2027-10-31T01:00:00Z"] {
            instants.append(try #require(Timestamp.parse(text)))
        }
        for _ in 0..<300 { instants.append(Date(timeIntervalSince1970: Double(random.int(-2_000_000_000...4_000_000_000)) + 0.5)) }
        for date in instants {
            for zone in zones {
                #expect(CommandInput.display(date, in: zone) == Self.formatted(date, zone), "\(date) \(zone.identifier)")
            }
        }
        #expect(CommandInput.display("2027-03-29T06:30:00.000Z", in: zones[0]) == "2027-03-29 08:30")
        #expect(CommandInput.display("not a time", in: zones[0]) == "not a time")
    }
}
