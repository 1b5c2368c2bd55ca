import Foundation
import HomeshoreCore
import Testing

/// Issue point 9, scenario 4: a revoked laptop (lost or stolen) is refused and wiped at its next
/// contact, and the hub carries on serving everyone else.
@Test("A revoked laptop is refused and wiped; the hub keeps serving other agents")
func revokedLaptopIsWiped() async throws {
    let office = try await Office.open("revoke")
    try await office.enrollAgent("alice", name: "Alice Martin")
    try await office.enrollAgent("bob", name: "Bob Durand")
    try await office.importSample(count: 20, seed: 5)
    try await office.assign(E2E.refs(1...5), to: "alice")
    try await office.assign(E2E.refs(6...10), to: "bob")
    try await office.clientOK("alice", ["sync"])
    try await office.clientOK("bob", ["sync"])
    let aliceDebtors = try office.replicaContents("alice").map(\.dossier.debtorName)
    #expect(aliceDebtors.count == 5)
    try await office.clientOK("alice", ["note", "D-000002", "typed on the laptop that was then lost"])

    let revoked = try await office.hubOK(["agent", "revoke", "alice"])
    #expect(revoked.contains("alice revoked"), "revoke output: \(revoked)")

    let refused = try await office.client("alice", ["sync"])
    #expect(refused.status == 1 && !refused.killedBySignal, "sync of a revoked laptop should exit 1: \(refused)")
    #expect(refused.stderr.lowercased().contains("revoked"), "stderr should mention the revocation: \(refused.stderr)")
    #expect(refused.stderr.contains("wiped"), "stderr: \(refused.stderr)")

    let status = try await office.status("alice")
    #expect(status.dossiers == 0)
    #expect(status.agent == nil)
    #expect(status.hub == nil)
    #expect(status.queued == 0)
    #expect(try await office.listedReferences("alice").isEmpty)
    #expect(try office.withReplica("alice") { try $0.canonicalDump() } == (try CanonicalDump.text([])))
    // Nothing of the debtors is left in the laptop's files (the database is vacuumed).
    for file in (try? FileManager.default.contentsOfDirectory(atPath: office.home("alice"))) ?? [] {
        let bytes = FileManager.default.contents(atPath: office.home("alice") + "/" + file) ?? Data()
        for name in aliceDebtors where bytes.range(of: Data(name.utf8)) != nil {
            Issue.record("\(file) in alice's wiped folder still contains the debtor name \(name)")
        }
    }
    // Another sync stays refused: the laptop has no credentials left.
    let again = try await office.client("alice", ["sync"])
    #expect(again.status == 1 && again.stderr.contains("not enrolled"), "\(again)")

    // The hub went on: alice's dossiers are back in the pool, bob still works.
    #expect(office.hub?.isRunning == true)
    #expect(try await office.store().scope(login: "alice").isEmpty)
    try await office.clientOK("bob", ["call", "D-000006", "--outcome", "voicemail", "--duration", "30s"])
    let bobSync = try await office.clientOK("bob", ["sync"])
    #expect(bobSync.contains("1 sent"), "bob's sync: \(bobSync)")
    #expect(try await office.store().eventCount(kind: "call") == 1)
    #expect(try await office.store().eventCount(kind: "note") == 0, "a revoked laptop's queued note is never accepted")
    try await office.expectConverged("bob")
}
