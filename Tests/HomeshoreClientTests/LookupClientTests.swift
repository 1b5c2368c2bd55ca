import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

/// Issue 4, point 8: `Desk.lookup` against a real hub over real TLS, and inbound work recorded offline
/// on the looked-up dossier.
@Suite struct LookupClientTests {
    @Test func aLookedUpDossierTakesACallAndANoteOfflineThatTheHubFlagsInbound() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 4)
            let alice = try await Self.desk(hub, "alice", portfolios: ["P"])
            _ = try await Self.desk(hub, "bob", portfolios: ["P"])
            try await hub.assign(LiveHub.refs(1...2), to: "alice")
            try await hub.assign(["D-000003"], to: "bob")
            _ = try await alice.sync()

            let view = try await alice.lookup(reference: "D-000003")
            #expect(view.dossier.reference == "D-000003" && view.dossier.assignedTo == "bob")
            #expect(view.history.contains { $0.kind == "assignment" })
            #expect(try alice.replica.isLookedUp(dossierId: view.dossier.id))
            // Kept apart: the replica is still exactly the hub's view of alice's scope.
            #expect(try alice.replica.dossierCount() == 2)
            #expect(try alice.replica.list().map(\.reference).sorted() == ["D-000001", "D-000002"])
            #expect(try await hub.canonicalScope("alice") == alice.replica.canonicalDump())

            // The caller is still on the line when the network drops.
            await hub.stop()
            try alice.call("D-000003", outcome: "right-party", durationSeconds: 95, note: "le débiteur rappelle", at: nil)
            try alice.note("P/D-000003", text: "demande un échéancier")
            let offline = try alice.replica.view(reference: "D-000003")
            #expect(offline.history.filter(\.pending).map(\.kind).sorted() == ["call", "note"])
            #expect(try alice.replica.queued().count == 2)
            let unreachable = await #expect(throws: HomeshoreError.self) { _ = try await alice.lookup(reference: "D-000004") }
            #expect(unreachable?.code == "hub_unreachable")

            try await hub.start()
            let summary = try await alice.sync()
            #expect(summary.sent == 2 && summary.rejected == 0)
            #expect(try alice.replica.queuedCount().count == 0)
            let events = try await hub.admin.store.dossier(DossierKey(portfolio: "P", reference: "D-000003")).events
            let inbound = events.filter { $0.flag == "inbound" }
            #expect(inbound.map(\.kind).sorted() == ["call", "note"])
            #expect(inbound.allSatisfy { $0.agent == "alice" })
            #expect(inbound.first { $0.kind == "call" }?.payload.text == "le débiteur rappelle")
            #expect(try await hub.canonicalScope("alice") == alice.replica.canonicalDump())
            #expect(try alice.replica.dossierCount() == 2)

            // A fresh look-up replaces the kept one, now with the inbound work merged.
            let again = try await alice.lookup(reference: "D-000003")
            #expect(again.history.filter { $0.flag == "inbound" }.count == 2)
            #expect(again.history.allSatisfy { !$0.pending })
            #expect(try alice.replica.lookups().map(\.reference) == ["D-000003"])
        }
    }

    @Test func aDossierOutsideTheAgentsPortfoliosIsRefused() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 1, portfolio: "Q")
            let alice = try await Self.desk(hub, "alice", portfolios: ["P"])
            _ = try await alice.sync()
            let error = await #expect(throws: HomeshoreError.self) { _ = try await alice.lookup(reference: "D-000001") }
            #expect(error?.code == "forbidden")
            let unknown = await #expect(throws: HomeshoreError.self) { _ = try await alice.lookup(reference: "NOPE") }
            #expect(unknown?.code == "unknown_dossier")
            #expect(try alice.replica.lookups().isEmpty)
            #expect(throws: HomeshoreError.self) { try alice.note("D-000001", text: "x") }
        }
    }

    @Test func aLookedUpDossierAssignedLaterMovesIntoTheScope() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 2)
            let alice = try await Self.desk(hub, "alice", portfolios: ["P"])
            try await hub.assign(["D-000001"], to: "alice")
            _ = try await alice.sync()
            let view = try await alice.lookup(reference: "D-000002")
            try alice.note("D-000002", text: "appel entrant")
            _ = try await alice.sync()
            #expect(try alice.replica.isLookedUp(dossierId: view.dossier.id))
            try await hub.assign(["D-000002"], to: "alice")
            _ = try await alice.sync()
            #expect(try !alice.replica.isLookedUp(dossierId: view.dossier.id))
            #expect(try alice.replica.lookups().isEmpty)
            #expect(try alice.replica.dossierCount() == 2)
            #expect(try await hub.canonicalScope("alice") == alice.replica.canonicalDump())
            #expect(try alice.replica.view(reference: "D-000002").history.contains { $0.kind == "note" && $0.flag == "inbound" })
        }
    }

    @Test func aLookUpLastsSevenDaysAndASyncClearsOlderOnes() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 2)
            let alice = try await Self.desk(hub, "alice", portfolios: ["P"])
            let eightDaysAgo = Date().addingTimeInterval(-8 * 86_400)
            _ = try await alice.lookup(reference: "D-000001", now: eightDaysAgo)
            _ = try await alice.lookup(reference: "D-000002", now: Date().addingTimeInterval(-6 * 86_400))
            // Too old to work on...
            #expect(throws: HomeshoreError.self) { try alice.note("D-000001", text: "trop tard") }
            #expect(try alice.replica.lookups().map(\.reference) == ["D-000002"])
            // ...and gone from the disk at the next sync, the younger one kept.
            #expect(try alice.replica.lookups(now: eightDaysAgo).map(\.reference) == ["D-000001", "D-000002"])
            _ = try await alice.sync()
            #expect(try alice.replica.lookups(now: eightDaysAgo).map(\.reference) == ["D-000002"])
            try alice.note("D-000002", text: "encore là")
        }
    }

    @Test func aRefusedOpOnALookedUpDossierKeepsItsReference() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 1)
            let alice = try await Self.desk(hub, "alice", portfolios: ["P"])
            _ = try await alice.lookup(reference: "D-000001")
            // Only calls and notes are inbound work; a callback on a dossier not held is refused.
            try alice.callback("D-000001", at: Date().addingTimeInterval(86_400))
            let summary = try await alice.sync()
            #expect(summary.rejected == 1)
            let refused = try #require(try alice.status().rejected.first)
            #expect(refused.code == "not_in_scope" && refused.reference == "D-000001")
        }
    }

    @Test func aRevokedDeviceIsRefusedAndWipesItsLookUpsToo() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 2)
            let alice = try await Self.desk(hub, "alice", portfolios: ["P"])
            _ = try await alice.lookup(reference: "D-000001")
            try await hub.admin.store.setStatus(login: "alice", to: .revoked, now: Date())
            let error = await #expect(throws: HomeshoreError.self) { _ = try await alice.lookup(reference: "D-000002") }
            #expect(error?.code == "device_revoked")
            #expect(!alice.isEnrolled)
            #expect(try alice.replica.lookups().isEmpty)
        }
    }

    @Test func aWipeTakesTheLookUpsWithIt() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 1)
            let alice = try await Self.desk(hub, "alice", portfolios: ["P"])
            _ = try await alice.lookup(reference: "D-000001")
            try alice.replica.wipe()
            #expect(try alice.replica.lookups().isEmpty)
        }
    }

    /// A desk enrolled as an agent working the given portfolios. Capacity 0: the sync hands out no
    /// work, so the scope is exactly what a test assigns.
    static func desk(_ hub: LiveHub, _ login: String, portfolios: [String]) async throws -> Desk {
        _ = try await hub.admin.store.createAgent(NewAgent(login: login, name: login.capitalized, portfolios: portfolios, capacity: 0), now: Date())
        return try await hub.enrolledDesk(login)
    }
}
