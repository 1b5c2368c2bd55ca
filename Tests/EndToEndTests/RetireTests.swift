import Foundation
import HomeshoreCore
import Testing

/// Issue point 9, scenario 5: a retired agent's laptop first hands in what it still holds, then wipes.
@Test("A retired laptop pushes its queued work, then wipes itself")
func retiredLaptopPushesThenWipes() async throws {
    let office = try await Office.open("retire")
    try await office.enrollAgent("alice", name: "Alice Martin")
    try await office.importSample(count: 20, seed: 9)
    try await office.assign(E2E.refs(1...5), to: "alice")
    try await office.clientOK("alice", ["sync"])

    try await office.clientOK("alice", ["note", "D-000001", "last words on one"])
    try await office.clientOK("alice", ["note", "D-000002", "last words on two"])
    #expect(try await office.status("alice").queued == 2)

    let retired = try await office.hubOK(["agent", "retire", "alice"])
    #expect(retired.contains("alice retired"), "retire output: \(retired)")

    let sync = try await office.client("alice", ["sync"])
    #expect(sync.succeeded, "a retired laptop's sync should exit 0: \(sync)")
    #expect(sync.stdout.contains("wiped"), "stdout should say the laptop was wiped: \(sync.stdout)")

    // The hub kept both notes, once each, as alice's.
    let store = try office.store()
    #expect(try await store.eventCount(kind: "note") == 2)
    for (reference, text) in [("D-000001", "last words on one"), ("D-000002", "last words on two")] {
        let notes = try await office.hubDossier(reference).events.filter { $0.kind == "note" }
        #expect(notes.count == 1)
        #expect(notes.first?.payload.text == text)
        #expect(notes.first?.agent == "alice")
        #expect(notes.first?.flag == nil || notes.first?.flag == "reassigned", "flag: \(String(describing: notes.first?.flag))")
    }
    #expect(try await store.scope(login: "alice").isEmpty, "a retired agent's dossiers go back to the pool")

    let status = try await office.status("alice")
    #expect(status.dossiers == 0)
    #expect(status.queued == 0)
    #expect(status.agent == nil)
    #expect(try await office.listedReferences("alice").isEmpty)
    #expect(try office.withReplica("alice") { try $0.canonicalDump() } == (try CanonicalDump.text([])))
}
