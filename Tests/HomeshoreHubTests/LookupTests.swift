import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 4, point 8: `GET /v1/dossiers/{reference}` for inbound calls, and the hub accepting a call or
/// a note on a dossier of the agent's portfolios that the agent does not hold (flagged `inbound`).
@Suite struct LookupTests {
    // MARK: - The look-up route

    @Test func anAgentLooksUpADossierOfTheirPortfoliosWithItsWholeHistory() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 3)
        let alice = try await Self.agent(hub, "alice", portfolios: ["P"])
        // Held by someone else, with some history.
        let bob = try await hub.deviceHolding(["D-000002"], for: "bob")
        let d2 = try await hub.dossierId("D-000002")
        var ops = OpFactory()
        let note = ops.make("note", dossier: d2, payload: OpPayload(text: "bob was here"))
        try await hub.app().test(.router) { client in
            _ = try await client.sync(SyncRequest(cursor: 0, ops: [note]), token: bob)

            let (status, change, _) = try await client.lookup("D-000002", token: alice)
            #expect(status == .ok)
            let expected = try await hub.store.dossier(DossierKey(portfolio: "P", reference: "D-000002"))
            #expect(change == expected)
            #expect(change?.whole == true)
            #expect(change?.dossier.assignedTo == "bob")
            #expect(change?.events.contains { $0.kind == "note" && $0.agent == "bob" } == true)
            #expect(change?.events.contains { $0.kind == "assignment" } == true)

            // An unassigned one too, and PORTFOLIO/REF written in the path.
            let (pooled, pooledChange, _) = try await client.lookup("P%2FD-000003", token: alice)
            #expect(pooled == .ok)
            #expect(pooledChange?.dossier.reference == "D-000003" && pooledChange?.dossier.assignedTo == nil)
        }
    }

    @Test func theAnswerIsGzippedWhenTheClientAcceptsIt() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let alice = try await Self.agent(hub, "alice", portfolios: ["P"])
        let bob = try await hub.deviceHolding(["D-000001"], for: "bob")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let notes = (1...5).map { n in ops.make("note", dossier: d1, payload: OpPayload(text: "note \(n): " + String(repeating: "rappeler plus tard ", count: 20))) }
        try await hub.app().test(.router) { client in
            _ = try await client.sync(SyncRequest(cursor: 0, ops: notes), token: bob)
            try await client.execute(uri: "/v1/dossiers/D-000001", method: .get,
                                     headers: [.authorization: "Bearer \(alice)", .acceptEncoding: "gzip"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == "gzip")
                let plain = try Gzip.decompress(response.body)
                let change = try WireJSON.decode(DossierChange.self, from: Data(plain.readableBytesView))
                #expect(change.dossier.reference == "D-000001")
            }
        }
    }

    @Test func aDossierOutsideTheAgentsPortfoliosIsForbidden() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 2, portfolio: "Q")
        let alice = try await Self.agent(hub, "alice", portfolios: ["P"])
        let nobody = try await Self.agent(hub, "carol", portfolios: [])
        try await hub.app().test(.router) { client in
            let (status, change, error) = try await client.lookup("D-000001", token: alice)
            #expect(status == .forbidden)
            #expect(change == nil)
            #expect(error?.code == "forbidden")
            #expect(error?.message.contains("Q") == true)
            #expect(try await client.lookup("D-000002", token: nobody).1 == nil)
            // Naming the portfolio does not help.
            #expect(try await client.lookup("D-000001?portfolio=Q", token: alice).0 == .forbidden)
        }
    }

    @Test func theAgentHoldingADossierMayAlwaysLookItUp() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 2, portfolio: "Q")
        let alice = try await Self.agent(hub, "alice", portfolios: ["P"])
        try await hub.assign(["D-000001"], to: "alice")
        try await hub.app().test(.router) { client in
            let (status, change, _) = try await client.lookup("D-000001", token: alice)
            #expect(status == .ok)
            #expect(change?.dossier.portfolio == "Q" && change?.dossier.assignedTo == "alice")
            #expect(try await client.lookup("D-000002", token: alice).0 == .forbidden)
        }
    }

    @Test func anUnknownReferenceIs404() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let alice = try await Self.agent(hub, "alice", portfolios: ["P"])
        try await hub.app().test(.router) { client in
            let (status, _, error) = try await client.lookup("NOPE-1", token: alice)
            #expect(status == .notFound)
            #expect(error?.code == "unknown_dossier")
            #expect(try await client.lookup("D-000001?portfolio=OTHER", token: alice).2?.code == "unknown_dossier")
        }
    }

    @Test func aReferenceInSeveralOfTheAgentsPortfoliosIsAmbiguousUntilThePortfolioIsNamed() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1, portfolio: "P")
        try await hub.importSample(count: 1, portfolio: "Q")
        try await hub.importSample(count: 1, portfolio: "R")
        let alice = try await Self.agent(hub, "alice", portfolios: ["P", "Q"])
        try await hub.app().test(.router) { client in
            let (status, _, error) = try await client.lookup("D-000001", token: alice)
            #expect(status == .badRequest)
            #expect(error?.code == "ambiguous_reference")
            // R is not hers: never named.
            #expect(error?.message.contains("(P, Q)") == true)
            #expect(try await client.lookup("D-000001?portfolio=Q", token: alice).1?.dossier.portfolio == "Q")
            #expect(try await client.lookup("P%2FD-000001", token: alice).1?.dossier.portfolio == "P")
        }
    }

    @Test func withoutAValidTokenOrFromARevokedDeviceItIs401() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let alice = try await Self.agent(hub, "alice", portfolios: ["P"])
        try await hub.app().test(.router) { client in
            let (missing, missingError) = try await client.execute(uri: "/v1/dossiers/D-000001", method: .get) { response in
                (response.status, try? WireJSON.decode(ErrorBody.self, from: Data(response.body.readableBytesView)).error)
            }
            #expect(missing == .unauthorized && missingError?.code == "missing_token")
            let (status, _, error) = try await client.lookup("D-000001", token: "not-a-token")
            #expect(status == .unauthorized && error?.code == "invalid_token")

            try await hub.store.setStatus(login: "alice", to: .revoked, now: hub.clock)
            let (revoked, _, revokedError) = try await client.lookup("D-000001", token: alice)
            #expect(revoked == .unauthorized && revokedError?.code == "device_revoked")
        }
    }

    @Test func aRetiredDeviceCannotLookUp() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let alice = try await Self.agent(hub, "alice", portfolios: ["P"])
        try await hub.store.setStatus(login: "alice", to: .retired, now: hub.clock)
        try await hub.app().test(.router) { client in
            let (status, _, error) = try await client.lookup("D-000001", token: alice)
            #expect(status == .forbidden && error?.code == "forbidden")
        }
    }

    // MARK: - Inbound ops

    @Test func aCallOrNoteOnALookedUpDossierIsAppliedAndFlaggedInbound() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 3)
        try await hub.importSample(count: 1, portfolio: "Q")
        let alice = try await Self.agent(hub, "alice", portfolios: ["P"])
        _ = try await hub.store.assign([DossierKey(portfolio: "P", reference: "D-000003")], to: "alice", now: hub.clock)
        try await hub.ensureAgent("bob")
        _ = try await hub.store.assign([DossierKey(portfolio: "P", reference: "D-000002")], to: "bob", now: hub.clock)
        let pooled = try await hub.store.dossier(DossierKey(portfolio: "P", reference: "D-000001")).dossier.id
        let bobs = try await hub.store.dossier(DossierKey(portfolio: "P", reference: "D-000002")).dossier.id
        let outside = try await hub.store.dossier(DossierKey(portfolio: "Q", reference: "D-000001")).dossier.id
        var ops = OpFactory()
        let batch = [
            ops.make("note", dossier: pooled, payload: OpPayload(text: "le créancier a appelé")),
            ops.make("call", dossier: bobs, payload: OpPayload(outcome: "right-party", durationSeconds: 90, text: "appel entrant")),
            ops.make("note", dossier: outside, payload: OpPayload(text: "pas mon portefeuille")),
            ops.make("contact", dossier: pooled, payload: OpPayload(phone: "0611223344")),
            ops.make("callback", dossier: bobs, payload: OpPayload(at: Timestamp.string(from: hub.clock.addingTimeInterval(86_400)))),
        ]
        try await hub.app().test(.router) { client in
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: batch), token: alice)
            #expect(answer.results.map(\.status) == [.applied, .applied, .rejected, .rejected, .rejected])
            #expect(answer.results.map { $0.code ?? "" } == ["", "", "not_in_scope", "not_in_scope", "not_in_scope"])
            // Inbound work does not bring the dossier into alice's scope.
            #expect(answer.upserts.map(\.dossier.reference) == ["D-000003"])

            let note = try #require(try await client.lookup("D-000001?portfolio=P", token: alice).1?.events.first { $0.kind == "note" })
            #expect(note.flag == "inbound" && note.agent == "alice" && note.payload.text == "le créancier a appelé")
        }
        let call = try #require(try await hub.store.dossier(DossierKey(portfolio: "P", reference: "D-000002")).events.first { $0.kind == "call" })
        #expect(call.flag == "inbound" && call.agent == "alice" && call.payload.outcome == "right-party")
        // Bob, who holds it, hears about alice's inbound call at his next sync.
        let bob = try await hub.agentWithDevice("bob")
        try await hub.app().test(.router) { client in
            let pulled = try await client.sync(SyncRequest(cursor: 0, ops: []), token: bob)
            #expect(pulled.upserts.first { $0.dossier.reference == "D-000002" }?.events.contains { $0.flag == "inbound" } == true)
        }
        #expect(try await hub.store.eventCount(kind: "note") == 1)
    }

    @Test func anAgentWithoutPortfoliosStillGetsNotInScope() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let carol = try await Self.agent(hub, "carol", portfolios: [])
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let note = ops.make("note", dossier: d1, payload: OpPayload(text: "x"))
        try await hub.app().test(.router) { client in
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: [note]), token: carol)
            #expect(answer.results.first?.code == "not_in_scope")
        }
    }

    @Test func workRecordedBeforeAReassignmentStaysFlaggedReassignedNotInbound() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let alice = try await Self.agent(hub, "alice", portfolios: ["P"])
        try await hub.assign(["D-000001"], to: "alice")
        try await hub.assign(["D-000001"], to: "bob")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let note = ops.make("note", dossier: d1, payload: OpPayload(text: "x"))
        try await hub.app().test(.router) { client in
            let answer = try await client.sync(SyncRequest(cursor: 0, ops: [note]), token: alice)
            #expect(answer.results.first?.status == .applied)
        }
        let applied = try #require(try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).events.first { $0.kind == "note" })
        #expect(applied.flag == "reassigned")
    }

    /// An agent with the given portfolios and one enrolled device; returns the device's token. Capacity 0:
    /// the sync hands out no work, so the scope is exactly what a test assigns.
    static func agent(_ hub: HubFixture, _ login: String, portfolios: [String]) async throws -> String {
        _ = try await hub.store.createAgent(NewAgent(login: login, name: login.capitalized, portfolios: portfolios, capacity: 0), now: hub.clock)
        return try await hub.agentWithDevice(login)
    }
}

extension TestClientProtocol {
    /// GETs `/v1/dossiers/{path}` and returns the status, the dossier on 200 and the error otherwise.
    func lookup(_ path: String, token: String) async throws -> (HTTPResponse.Status, DossierChange?, HomeshoreError?) {
        try await execute(uri: "/v1/dossiers/" + path, method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
            let data = Data(response.body.readableBytesView)
            guard response.status == .ok else {
                return (response.status, nil, try? WireJSON.decode(ErrorBody.self, from: data).error)
            }
            return (response.status, try WireJSON.decode(DossierChange.self, from: data), nil)
        }
    }
}
