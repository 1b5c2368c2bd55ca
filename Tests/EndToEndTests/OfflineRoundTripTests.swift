import Foundation
import HomeshoreCore
import Testing

/// Issue point 9, scenario 1: work recorded while the hub is down stays queued, lands exactly once
/// when the hub is back, and each agent's laptop holds their own scope and nothing else.
@Test("Offline work survives a hub outage, lands once, and stays within each agent's scope")
func offlineRoundTrip() async throws {
    let office = try await Office.open("offline")
    try await office.enrollAgent("alice", name: "Alice Martin")
    try await office.enrollAgent("bob", name: "Bob Durand")
    try await office.importSample(count: 60, seed: 42)
    try await office.assign(E2E.refs(1...10), to: "alice")
    try await office.assign(E2E.refs(11...20), to: "bob")
    try await office.clientOK("alice", ["sync"])
    try await office.clientOK("bob", ["sync"])
    #expect(try await office.listedReferences("alice") == E2E.refs(1...10))
    #expect(try await office.listedReferences("bob") == E2E.refs(11...20))

    // The connection drops: the hub stops cleanly.
    let stopped = try await office.stopHub()
    #expect(stopped.succeeded, "SIGTERM should stop the hub with exit 0: \(stopped)")

    let outcomes = ["right-party", "no-answer", "voicemail", "refused", "busy"]
    for (index, outcome) in outcomes.enumerated() {
        try await office.clientOK("alice", ["call", E2E.ref(index + 1), "--outcome", outcome, "--duration", "\(index + 1)m",
                                            "--note", "offline call \(index + 1)"])
    }
    for index in 1...3 {
        try await office.clientOK("alice", ["note", E2E.ref(index + 5), "offline note \(index)"])
    }
    let offline = try await office.client("alice", ["sync"])
    #expect(offline.status == 3 && !offline.killedBySignal, "sync without a hub should exit 3: \(offline)")
    #expect(offline.stderr.contains("Cannot reach the hub"), "stderr should say the hub is unreachable: \(offline.stderr)")
    #expect(offline.stderr.contains("8 recorded change(s) stay queued"), "stderr: \(offline.stderr)")
    let queuedStatus = try await office.status("alice")
    #expect(queuedStatus.queued == 8)
    #expect(queuedStatus.oldestQueuedAt != nil)
    let queuedIds = Set(try office.withReplica("alice") { try $0.queued().map(\.op.id) })
    #expect(queuedIds.count == 8)

    // The connection is back.
    try await office.startHub()
    let online = try await office.clientOK("alice", ["sync"])
    #expect(online.contains("8 sent"), "sync output: \(online)")
    let syncedStatus = try await office.status("alice")
    #expect(syncedStatus.queued == 0)
    #expect(syncedStatus.rejected.isEmpty)

    // The hub holds exactly those 8 ops, once each.
    let store = try office.store()
    #expect(try await store.eventCount(kind: "call") == 5)
    #expect(try await store.eventCount(kind: "note") == 3)
    let aliceScope = try await store.scope(login: "alice")
    let work = aliceScope.flatMap(\.events).filter { $0.kind == "call" || $0.kind == "note" }
    #expect(Set(work.map(\.id)) == queuedIds, "the hub's events are the ops alice queued, by id")
    #expect(work.allSatisfy { $0.agent == "alice" && $0.flag == nil })
    let texts = work.compactMap(\.payload.text).sorted()
    #expect(texts == (1...5).map { "offline call \($0)" } + (1...3).map { "offline note \($0)" })
    for (index, outcome) in outcomes.enumerated() {
        let calls = work.filter { $0.kind == "call" && $0.payload.text == "offline call \(index + 1)" }
        #expect(calls.count == 1)
        #expect(calls.first?.payload.outcome == outcome)
        #expect(calls.first?.payload.durationSeconds == (index + 1) * 60)
    }

    // Bob syncs: nothing of alice's reaches his laptop.
    try await office.clientOK("bob", ["sync"])
    #expect(try await office.listedReferences("bob") == E2E.refs(11...20))
    let aliceDossierIds = Set(aliceScope.map(\.dossier.id))
    let bobContents = try office.replicaContents("bob")
    #expect(bobContents.count == 10)
    #expect(bobContents.allSatisfy { !aliceDossierIds.contains($0.dossier.id) })
    #expect(bobContents.flatMap(\.events).allSatisfy { $0.agent != "alice" && !aliceDossierIds.contains($0.dossierId) })
    #expect(try await office.status("bob").queued == 0)

    try await office.expectConverged("alice")
    try await office.expectConverged("bob")
}
