import Foundation
import HomeshoreCore
import Testing

/// Issue 4, point 6: a call outside the rules is still recorded (it happened), the agent is warned,
/// and the hub lists it in the compliance report. Issue 9, point 12: what was typed is checked before
/// any warning, so a call typed wrong gets its one error sentence and nothing else, at any hour.
///
/// Neither test depends on when it runs: the window is set so that it is closed now, whatever the hour
/// and the weekday.
@Suite("Calls outside the rules")
struct CallWarningTests {
    /// A one-minute window on a weekday three days away in the debtor's zone (Europe/Paris): closed
    /// now and for the next two days, whatever the hour and the weekday the test runs.
    static func windowClosedNow(_ now: Date = Date()) -> String {
        let paris = AgencyCalendar.calendar()
        let weekday = paris.component(.weekday, from: now.addingTimeInterval(3 * 86_400))
        return ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][weekday - 1] + " 03:00-03:01"
    }

    static func officeWithClosedWindow(_ label: String) async throws -> Office {
        let office = try await Office.open(label)
        try await office.enrollAgent("alice", name: "Alice Martin")
        try await office.importSample(count: 5, seed: 4)
        try await office.hubOK(["portfolio", "set", "ACME", "--window", windowClosedNow()])
        try await office.assign(["D-000001"], to: "alice")
        try await office.clientOK("alice", ["sync"])
        return office
    }

    @Test("A call outside the calling window is recorded with a warning and reported for compliance")
    func callOutsideTheWindowIsWarnedAndReported() async throws {
        let office = try await Self.officeWithClosedWindow("call-warning")
        let call = try await office.client("alice", ["call", "D-000001", "--outcome", "no-answer"])
        #expect(call.succeeded, "the call must be recorded anyway: \(call)")
        #expect(call.stderr.contains("Warning: Outside the calling window"), "stderr: \(call.stderr)")
        #expect(try await office.status("alice").queued == 1)

        try await office.clientOK("alice", ["sync"])
        let report = try await office.hubOK(["report", "compliance", "--format", "csv"])
        #expect(report.contains("D-000001") && report.contains("calling window"), "report: \(report)")
    }

    @Test("A call typed wrong outside the window gets its one error sentence, no warning, and nothing is queued")
    func badInputIsRefusedBeforeAnyWarning() async throws {
        let office = try await Self.officeWithClosedWindow("call-bad-input")
        let tooLong = String(repeating: "n", count: Limits.maxNoteLength + 1)
        let refusals: [(arguments: [String], says: String)] = [
            (["call", "D-000001", "--outcome", "bored"], "\"bored\" is not an outcome"),
            (["call", "D-000001", "--outcome", "promise", "--amount", "10", "--due", "2020-01-01"], "in the past"),
            (["call", "D-000001", "--outcome", "promise", "--amount", "0", "--due", "2030-01-01"], "more than zero"),
            (["call", "D-000001", "--outcome", "no-answer", "--duration", "2x"], "is not a duration"),
            (["call", "D-000001", "--outcome", "no-answer", "--at", "yesterday"], "is not a time"),
            (["call", "D-000001", "--outcome", "no-answer", "--note", tooLong], "the limit is"),
            (["call", "D-999999", "--outcome", "no-answer"], "No dossier D-999999"),
        ]
        for refusal in refusals {
            let result = try await office.client("alice", refusal.arguments)
            let command = refusal.arguments.joined(separator: " ").prefix(120)
            #expect(result.status == 1 && !result.killedBySignal, "`\(command)`: \(result)")
            #expect(result.stderr.contains(refusal.says), "`\(command)` should say \"\(refusal.says)\": \(result.stderr)")
            #expect(!result.stderr.contains("Warning"), "`\(command)`: a warning before the error: \(result.stderr)")
            #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1,
                    "`\(command)`: one sentence on stderr: \(result.stderr)")
        }
        #expect(try await office.status("alice").queued == 0)

        // The same call typed right is recorded, with the warning.
        let good = try await office.client("alice", ["call", "D-000001", "--outcome", "no-answer", "--duration", "2m"])
        #expect(good.succeeded, "\(good)")
        #expect(good.stderr.contains("Warning: Outside the calling window"), "\(good.stderr)")
        #expect(try await office.status("alice").queued == 1)
    }
}
