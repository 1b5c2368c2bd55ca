import Foundation
import HomeshoreCore
import Testing

/// Issue point 9, scenario 2: a dossier moved to another agent takes its whole history with it and
/// leaves the first agent's laptop entirely.
@Test("A reassigned dossier moves with its history and leaves the former holder's laptop")
func reassignmentMovesHistory() async throws {
    let office = try await Office.open("reassign")
    try await office.enrollAgent("alice", name: "Alice Martin")
    try await office.enrollAgent("bob", name: "Bob Durand")
    try await office.importSample(count: 20, seed: 7)
    try await office.assign(E2E.refs(1...5), to: "alice")
    try await office.assign(E2E.refs(6...10), to: "bob")
    try await office.clientOK("alice", ["sync"])
    try await office.clientOK("bob", ["sync"])

    try await office.clientOK("alice", ["call", "D-000001", "--outcome", "right-party", "--duration", "3m",
                                        "--note", "Promised to pay on Friday"])
    try await office.clientOK("alice", ["note", "D-000001", "Debtor moved to Lyon"])
    let pushed = try await office.clientOK("alice", ["sync"])
    #expect(pushed.contains("2 sent"), "sync output: \(pushed)")
    let dossierId = try await office.hubDossier("D-000001").dossier.id

    let moved = try await office.hubOK(["assign", "D-000001", "--to", "bob"])
    #expect(moved.contains("1 dossier(s) assigned to bob"), "assign output: \(moved)")
    try await office.clientOK("alice", ["sync"])
    try await office.clientOK("bob", ["sync"])

    // Bob has it, with alice's work in its history.
    let shown = try await office.show("bob", "D-000001")
    #expect(shown.dossier.assignedTo == "bob")
    let calls = shown.history.filter { $0.kind == "call" }
    let notes = shown.history.filter { $0.kind == "note" }
    #expect(calls.count == 1 && notes.count == 1, "history: \(shown.history.map(\.kind))")
    #expect(calls.first?.agent == "alice")
    #expect(calls.first?.payload.outcome == "right-party")
    #expect(calls.first?.payload.durationSeconds == 180)
    #expect(calls.first?.payload.text == "Promised to pay on Friday")
    #expect(notes.first?.agent == "alice")
    #expect(notes.first?.payload.text == "Debtor moved to Lyon")
    #expect(shown.history.allSatisfy { !$0.pending })
    #expect(try await office.listedReferences("bob") == ["D-000001"] + E2E.refs(6...10))

    // Alice no longer has it, nor any of its history.
    let gone = try await office.client("alice", ["show", "D-000001"])
    #expect(gone.status == 1 && !gone.killedBySignal, "show of a moved dossier should fail: \(gone)")
    #expect(gone.stderr.contains("D-000001"), "stderr: \(gone.stderr)")
    #expect(gone.stderr.split(separator: "\n").count == 1, "one sentence on stderr: \(gone.stderr)")
    #expect(try await office.listedReferences("alice") == E2E.refs(2...5))
    let aliceContents = try office.replicaContents("alice")
    #expect(!aliceContents.contains { $0.dossier.id == dossierId || $0.dossier.reference == "D-000001" })
    #expect(!aliceContents.flatMap(\.events).contains { $0.dossierId == dossierId })
    let aliceStatus = try await office.status("alice")
    #expect(aliceStatus.queued == 0 && aliceStatus.dossiers == 4)

    try await office.expectConverged("alice")
    try await office.expectConverged("bob")
}
