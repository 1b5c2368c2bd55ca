import Foundation
import HomeshoreClient
import HomeshoreCore
import Testing

/// What agents type for `--at`: the hub's strict readers, in the debtor's zone.
@Suite struct CommandInputTests {
    let paris = TimeZone(identifier: "Europe/Paris")!

    @Test func aTypedLocalTimeReadsInTheDebtorsZone() throws {
        #expect(Timestamp.string(from: try CommandInput.localTime("2026-12-02 10:00", timeZone: paris)) == "2026-12-02T09:00:00.000Z")
        #expect(Timestamp.string(from: try CommandInput.localTime("2026-12-02T10:00:00Z", timeZone: paris)) == "2026-12-02T10:00:00.000Z")
    }

    @Test(arguments: ["2026-12-02 10:-5", "2026-+1-02 10:00", "2026-12-02 T10:00", "tomorrow"])
    func signsAndShapesOutsideTheFormatAreRefused(_ text: String) {
        let error = #expect(throws: HomeshoreError.self) { try CommandInput.localTime(text, timeZone: paris) }
        #expect(error?.code == "invalid_time")
    }

    @Test func anHourTheClocksSkipIsRefusedSayingSo() {
        let error = #expect(throws: HomeshoreError.self) { try CommandInput.localTime("2027-03-28 02:30", timeZone: paris) }
        #expect(error?.message == "2027-03-28 02:30 does not exist in Europe/Paris: the clocks skip that hour.")
    }
}
