import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HummingbirdTesting
import NIOCore
import Testing

/// DESIGN §4, shown on the hub's real HTTP routes and a real SQLite store.
@Suite struct SyncInvariantTests {
    @Test func aBatchSentTwiceAppliesOnce() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 3)
        let token = try await hub.deviceHolding(HubFixture.refs(1...3), for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let batch = [ops.make("call", dossier: d1, payload: OpPayload(outcome: "right-party", durationSeconds: 60)),
                     ops.make("note", dossier: d1, payload: OpPayload(text: "Rappeler lundi"))]
        try await hub.app().test(.router) { client in
            let first = try await client.sync(SyncRequest(cursor: 0, ops: batch), token: token)
            #expect(first.results.map(\.status) == [.applied, .applied])
            let second = try await client.sync(SyncRequest(cursor: first.cursor, ops: batch), token: token)
            #expect(second.results.map(\.status) == [.duplicate, .duplicate])
        }
        #expect(try await hub.store.eventCount(kind: "call") == 1)
        #expect(try await hub.store.eventCount(kind: "note") == 1)
    }

    @Test func aRejectedOpDoesNotStallTheRest() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 2)
        let token = try await hub.deviceHolding(["D-000001"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        let d2 = try await hub.dossierId("D-000002")
        var ops = OpFactory()
        let batch = [
            ops.make("note", dossier: d1, payload: OpPayload(text: "avant")),
            ops.make("teleport", dossier: d1, payload: OpPayload()),
            ops.make("note", dossier: d2, payload: OpPayload(text: "pas à moi")),
            ops.make("note", dossier: d1, payload: OpPayload(text: String(repeating: "x", count: Limits.maxNoteLength + 1))),
            ops.make("callback", dossier: d1, payload: OpPayload(at: "2026-02-30T10:00:00Z")),
            ops.make("call", dossier: d1, payload: OpPayload(outcome: "maybe")),
            ops.make("note", dossier: d1, payload: OpPayload(text: "après")),
        ]
        try await hub.app().test(.router) { client in
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: batch), token: token)
            #expect(answer.results.map(\.status) == [.applied, .rejected, .rejected, .rejected, .rejected, .rejected, .applied])
            #expect(answer.results.map { $0.code ?? "" } == ["", "unknown_op_kind", "not_in_scope", "too_long", "invalid_time", "unknown_outcome", ""])
            #expect(answer.results[1].reason?.contains("teleport") == true)
            // A re-sent rejected op gets the same answer, not a second chance to apply.
            let again = try await client.sync(SyncRequest(cursor: answer.cursor, ops: [batch[1]]), token: token)
            #expect(again.results.first?.status == .rejected)
        }
        #expect(try await hub.store.eventCount(kind: "note") == 2)
    }

    @Test func oneDevicesOpsApplyInRecordedOrder() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let token = try await hub.deviceHolding(["D-000001"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let start = Date()
        let batch = (1...5).map { n in
            ops.make("contact", dossier: d1, payload: OpPayload(phone: "06 00 00 00 0\(n)"), at: start)
        }
        try await hub.app().test(.router) { client in
            // Listed backwards on the wire: the hub still applies them in device order.
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: batch.reversed()), token: token)
            #expect(answer.results.allSatisfy { $0.status == .applied })
        }
        let dossier = try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001"))
        #expect(dossier.dossier.phone == "06 00 00 00 05")
        let contactEvents = dossier.events.filter { $0.kind == "contact" }
        #expect(contactEvents.map(\.payload.phone) == batch.map(\.payload.phone))
    }

    @Test func scopeEntryArrivesWholeAndExitIsARemoval() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 2)
        let alice = try await hub.deviceHolding(["D-000001"], for: "alice")
        let bob = try await hub.agentWithDevice("bob")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let note = ops.make("note", dossier: d1, payload: OpPayload(text: "vu par alice"))
        try await hub.app().test(.router) { client in
            let a1 = try await client.sync(SyncRequest(cursor: 0, ops: [note]), token: alice)
            let b1 = try await client.sync(SyncRequest(cursor: 0, ops: []), token: bob)
            #expect(b1.upserts.isEmpty)

            try await hub.assign(["D-000001"], to: "bob")
            let b2 = try await client.sync(SyncRequest(cursor: b1.cursor, ops: []), token: bob)
            let entered = try #require(b2.upserts.first)
            #expect(entered.whole)
            #expect(entered.events.contains { $0.payload.text == "vu par alice" })
            #expect(entered.events.map(\.seq) == entered.events.map(\.seq).sorted())

            let a2 = try await client.sync(SyncRequest(cursor: a1.cursor, ops: []), token: alice)
            #expect(a2.removals == [d1])
            #expect(a2.upserts.isEmpty)
        }
    }

    @Test func anUpToDateSyncSendsNoDossierAndIsSmall() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 50)
        let token = try await hub.deviceHolding(HubFixture.refs(1...50), for: "alice")
        try await hub.app().test(.router) { client in
            let first = try await client.sync(SyncRequest(cursor: 0, ops: []), token: token)
            #expect(first.upserts.count == 50)
            #expect(!first.more)
            let request = SyncRequest(cursor: first.cursor, ops: [])
            let bytes = try await client.execute(uri: "/v1/sync", method: .post, headers: [.authorization: "Bearer \(token)"],
                                                 body: ByteBuffer(bytes: try WireJSON.encode(request))) { $0.body.readableBytes }
            let second = try await client.sync(request, token: token)
            #expect(second.upserts.isEmpty && second.removals.isEmpty && !second.more)
            #expect(second.cursor == first.cursor)
            #expect(bytes < 1024)
        }
    }

    @Test func pagesAreBoundedAndLoseNothing() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 45)
        let token = try await hub.deviceHolding(HubFixture.refs(1...45), for: "alice")
        try await hub.app(pageSize: 20).test(.router) { client in
            var cursor: Int64 = 0
            var seen = Set<String>()
            var requests = 0
            while true {
                let page = try await client.sync(SyncRequest(cursor: cursor, ops: []), token: token)
                requests += 1
                #expect(page.upserts.count + page.removals.count <= 20)
                // Opaque: mid-run it also carries the run's base (PullCursor); where it stands never goes back.
                #expect(PullCursor(page.cursor).position >= PullCursor(cursor).position)
                seen.formUnion(page.upserts.map(\.dossier.reference))
                cursor = page.cursor
                if !page.more { break }
                if requests > 10 { break }
            }
            #expect(requests == 3)
            #expect(seen.count == 45)
        }
    }

    @Test func contactFieldsMergeByHybridLogicalClock() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let laptop = try await hub.deviceHolding(["D-000001"], for: "alice")
        let desktop = try await hub.agentWithDevice("alice")
        let d1 = try await hub.dossierId("D-000001")
        var onLaptop = OpFactory()
        var onDesktop = OpFactory()
        let noon = hub.clock.addingTimeInterval(-3600)
        // The desktop edits later in clock terms but syncs first; the laptop's older edit must not win.
        let later = onDesktop.make("contact", dossier: d1, payload: OpPayload(phone: "01 11 11 11 11"), at: noon.addingTimeInterval(60))
        let earlier = onLaptop.make("contact", dossier: d1, payload: OpPayload(phone: "02 22 22 22 22", email: "new@exemple.fr"), at: noon)
        try await hub.app().test(.router) { client in
            _ = try await client.sync(SyncRequest(cursor: 0, ops: [later]), token: desktop)
            _ = try await client.sync(SyncRequest(cursor: 0, ops: [earlier]), token: laptop)
        }
        let dossier = try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).dossier
        #expect(dossier.phone == "01 11 11 11 11")
        // Fields merge one by one: the laptop's email had no newer rival.
        #expect(dossier.email == "new@exemple.fr")
        #expect(dossier.fieldClocks["phone"] == later.hlc)
    }

    @Test func anOpOnADossierReassignedMeanwhileIsKeptAndFlagged() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let alice = try await hub.deviceHolding(["D-000001"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        try await hub.assign(["D-000001"], to: "bob")
        var ops = OpFactory()
        let call = ops.make("call", dossier: d1, payload: OpPayload(outcome: "no-answer"))
        try await hub.app().test(.router) { client in
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: [call]), token: alice)
            #expect(answer.results.first?.status == .applied)
        }
        let events = try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).events
        #expect(events.first { $0.kind == "call" }?.flag == "reassigned")
    }
}
