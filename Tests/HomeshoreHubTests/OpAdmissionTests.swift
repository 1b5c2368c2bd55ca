import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// What the hub refuses or bounds in ops a laptop sends: clock stamps, recorded times, op id
/// spellings and devices that were retired.
struct OpAdmissionTests {
    @Test func aFarFutureClockStampIsBoundedAndLaterEditsStillWin() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let forger = try await hub.deviceHolding(["D-000001"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        var forged = ops.make("contact", dossier: d1, payload: OpPayload(phone: "01 99 99 99 99"), at: hub.clock)
        forged.hlc = "999999999999999-999999-forger"
        let batch = [forged]
        try await hub.app().test(.router) { client in
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: batch), token: forger)
            #expect(answer.results.map(\.status) == [.applied])
        }
        let stored = try #require(try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).dossier.fieldClocks["phone"])
        let bound = Int64((hub.clock.timeIntervalSince1970 + Limits.maxClockSkewSeconds) * 1000)
        #expect(try #require(HLCStamp(stored)).millis <= bound, "stored \(stored)")

        // Another agent receives the dossier with that stamp and can still record, and its edit
        // made after the bound has passed wins.
        try await hub.assign(["D-000001"], to: "bob")
        let bob = try await hub.agentWithDevice("bob")
        var bobClock = HybridLogicalClock(node: "bob-laptop")
        bobClock.observe(try #require(HLCStamp(stored)), now: hub.clock)
        let later = hub.clock.addingTimeInterval(Limits.maxClockSkewSeconds + 3600)
        hub.clock = later
        let stamp = bobClock.tick(now: later)
        #expect(HLCStamp(stamp.description) == stamp)
        let edit = SyncOp(id: UUID().uuidString.lowercased(), deviceSeq: 1, kind: "contact", dossierId: d1,
                          recordedAt: Timestamp.string(from: later), hlc: stamp.description, payload: OpPayload(phone: "01 22 33 44 55"))
        try await hub.app().test(.router) { client in
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: [edit]), token: bob)
            #expect(answer.results.map(\.status) == [.applied])
        }
        #expect(try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).dossier.phone == "01 22 33 44 55")
    }

    @Test func aStampStoredBeforeTheBoundLosesToASaneEdit() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let token = try await hub.deviceHolding(["D-000001"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        // As a hub before this fix stored it.
        try await hub.store.pool.write { db in
            try db.execute(sql: #"UPDATE dossiers SET field_clocks = '{"phone":"999999999999999-999999-old"}' WHERE id = ?"#, arguments: [d1])
        }
        hub.clock = hub.clock.addingTimeInterval(Limits.maxClockSkewSeconds + 60)
        var ops = OpFactory()
        let edit = ops.make("contact", dossier: d1, payload: OpPayload(phone: "01 22 33 44 55"), at: hub.clock)
        try await hub.app().test(.router) { client in
            _ = try await client.sync(SyncRequest(cursor: 0, ops: [edit]), token: token)
        }
        #expect(try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).dossier.phone == "01 22 33 44 55")
    }

    @Test func theSameOpIdInUpperAndLowerCaseIsOneOp() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 2)
        let token = try await hub.deviceHolding(["D-000001", "D-000002"], for: "alice")
        var ops = OpFactory()
        var upper = ops.make("note", dossier: try await hub.dossierId("D-000001"), payload: OpPayload(text: "premier"), at: hub.clock)
        upper.id = upper.id.uppercased()
        var lower = upper
        lower.id = upper.id.lowercased()
        lower.deviceSeq += 1
        let valid = ops.make("note", dossier: try await hub.dossierId("D-000002"), payload: OpPayload(text: "autre"), at: hub.clock)
        let (first, second) = (upper, lower)
        try await hub.app().test(.router) { client in
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: [first, second, valid]), token: token)
            #expect(answer.results.map(\.status) == [.applied, .duplicate, .applied])
            // Sent again later in the other spelling: still the same op.
            let again = try await client.sync(SyncRequest(cursor: answer.cursor, ops: [second]), token: token)
            #expect(again.results.map(\.status) == [.duplicate])
        }
        let notes = try await hub.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE kind = 'note' AND payload LIKE '%premier%'")
        }
        #expect(notes == 1)
    }

    @Test func opsRecordedBeforeEnrollmentOrFarAheadAreRefused() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let token = try await hub.deviceHolding(["D-000001"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let in1901 = try #require(Timestamp.parse("1901-03-01T10:00:00Z"))
        var old = ops.make("promise", dossier: d1, payload: OpPayload(amount: 100, due: "1901-03-02"), at: in1901)
        old.hlc = ops.clock.tick(now: hub.clock).description
        let ahead = ops.make("note", dossier: d1, payload: OpPayload(text: "demain"), at: hub.clock.addingTimeInterval(3 * 86_400))
        let backDatedCall = ops.make("call", dossier: d1, payload: OpPayload(outcome: "no-answer", at: "2005-01-01T10:00:00Z"), at: hub.clock)
        let batch = [old, ahead, backDatedCall]
        try await hub.app().test(.router) { client in
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: batch), token: token)
            #expect(answer.results.map(\.code) == ["recorded_before_enrollment", "recorded_in_future", "recorded_before_enrollment"])
        }
        let work = try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001"))
        #expect(work.events.filter { $0.kind != "assignment" }.isEmpty)
        let figures = try await hub.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metrics_daily WHERE day < '2000-01-01'") }
        #expect(figures == 0)
    }

    @Test func aRetiredDeviceHandsInWhatItRecordedBeforeThenNothing() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let token = try await hub.deviceHolding(["D-000001"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let before = ops.make("note", dossier: d1, payload: OpPayload(text: "avant"), at: hub.clock)
        hub.clock = hub.clock.addingTimeInterval(60)
        try await hub.store.setStatus(login: "alice", to: .retired, now: hub.clock)
        hub.clock = hub.clock.addingTimeInterval(60)
        let after = ops.make("note", dossier: d1, payload: OpPayload(text: "après"), at: hub.clock)
        let replay = ops.make("call", dossier: d1, payload: OpPayload(outcome: "no-answer"), at: hub.clock.addingTimeInterval(-120))
        try await hub.app().test(.router) { client in
            // More is queued beyond this batch: the device is not told to wipe yet.
            let first = try await client.sync(SyncRequest(cursor: 0, ops: [before], queued: 1), token: token)
            #expect(first.results.map(\.status) == [.applied])
            let last = try await client.sync(SyncRequest(cursor: 0, ops: [after], queued: 0), token: token)
            #expect(last.results.map(\.code) == ["recorded_after_retirement"])
            #expect(last.wipe)
            // Wiped: the old token writes nothing more, whatever it claims.
            let (status, error) = try await client.post("/v1/sync", body: ByteBuffer(bytes: try WireJSON.encode(SyncRequest(cursor: 0, ops: [replay]))),
                                                        headers: [.authorization: "Bearer \(token)", .contentType: "application/json"])
            #expect(status == .unauthorized)
            #expect(error?.code == "device_retired")
        }
        let texts = try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).events.filter { $0.kind == "note" }.compactMap(\.payload.text)
        #expect(texts == ["avant"])
    }
}
