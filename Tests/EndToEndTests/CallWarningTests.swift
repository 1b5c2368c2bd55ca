import Foundation
import HomeshoreCore
import Testing

/// Issue 4, point 6: a call outside the rules is still recorded (it happened), the agent is warned,
/// and the hub lists it in the compliance report.
@Test("A call outside the calling window is recorded with a warning and reported for compliance")
func callOutsideTheWindowIsWarnedAndReported() async throws {
    let office = try await Office.open("call-warning")
    try await office.enrollAgent("alice", name: "Alice Martin")
    try await office.importSample(count: 5, seed: 4)
    // A window that is never open on the day the test runs: yesterday's weekday, one minute long.
    let yesterday = Calendar(identifier: .gregorian).component(.weekday, from: Date().addingTimeInterval(-86_400))
    let day = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][yesterday - 1]
    try await office.hubOK(["portfolio", "set", "ACME", "--window", "\(day) 03:00-03:01"])
    try await office.assign(["D-000001"], to: "alice")
    try await office.clientOK("alice", ["sync"])

    let call = try await office.client("alice", ["call", "D-000001", "--outcome", "no-answer"])
    #expect(call.succeeded, "the call must be recorded anyway: \(call)")
    #expect(call.stderr.contains("Warning: Outside the calling window"), "stderr: \(call.stderr)")
    #expect(try await office.status("alice").queued == 1)

    try await office.clientOK("alice", ["sync"])
    let report = try await office.hubOK(["report", "compliance", "--format", "csv"])
    #expect(report.contains("D-000001") && report.contains("calling window"), "report: \(report)")
}
