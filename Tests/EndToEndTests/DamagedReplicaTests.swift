import Foundation
import HomeshoreCore
import Testing

/// Issue 9, also seen: a zero-length replica read as "not enrolled" and the queued work was gone
/// without a word. Every command now reports it as damaged, says what was lost, and leaves it alone.
@Test("An emptied replica is reported as damaged by every command, with what was lost, and is never recreated")
func anEmptiedReplicaIsReportedAsDamaged() async throws {
    let office = try await Office.open("damaged")
    let token = try await office.addAgent("alice", name: "Alice Martin")
    try await office.clientOK("alice", ["enroll", token, "--device-name", "laptop-alice"])
    try await office.importSample(count: 3, seed: 9)
    try await office.assign(E2E.refs(1...2), to: "alice")
    try await office.clientOK("alice", ["sync"])
    let lastSync = try #require(try await office.status("alice").lastSyncAt)
    try await office.clientOK("alice", ["note", "D-000001", "typed, never sent"])

    let replica = office.home("alice") + "/replica.sqlite"
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: replica + suffix) }
    try Data().write(to: URL(fileURLWithPath: replica))

    let commands: [[String]] = [["status"], ["status", "--format", "json"], ["list"], ["show", "D-000001"], ["next"],
                                ["note", "D-000001", "more"], ["sync"], ["enroll", token]]
    for arguments in commands {
        let result = try await office.client("alice", arguments)
        let command = arguments.joined(separator: " ")
        #expect(result.status == 1 && !result.killedBySignal, "`\(command)`: \(result)")
        #expect(!result.stdout.contains("Not enrolled") && !result.stderr.contains("not enrolled"), "`\(command)`: \(result)")
        #expect(result.stderr.contains("replica.sqlite is damaged: it is empty"), "`\(command)`: \(result.stderr)")
        #expect(result.stderr.contains("enrolled as alice") && result.stderr.contains("last synced \(lastSync)"),
                "`\(command)` should say what was lost: \(result.stderr)")
        #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1,
                "`\(command)`: one sentence: \(result.stderr)")
    }
    let size = try FileManager.default.attributesOfItem(atPath: replica)[.size] as? Int
    #expect(size == 0, "the damaged replica was replaced")
    #expect(try await office.store().eventCount(kind: "note") == 0)
}
