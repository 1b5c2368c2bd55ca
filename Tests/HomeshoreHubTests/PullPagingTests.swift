import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HummingbirdTesting
import NIOCore
import Testing

/// DESIGN §4.4–4.5 across pages: a pull that takes several pages never loses an event of a dossier
/// that changed before a page's end and again after it, and a first sync brings every history whole.
@Suite struct PullPagingTests {
    @Test func aCursorCarriesTheRunsBaseUntilItsLastPage() {
        for (base, position) in [(0, 0), (0, 1), (0, 123_456_789), (41, 41), (41, 42), (1 << 27, (1 << 27) + 5), (999_999, 1_000_000_000)] {
            let cursor = PullCursor(base: Int64(base), position: Int64(position))
            #expect(PullCursor(cursor.encoded) == cursor, "\(base) … \(position)")
            #expect(cursor.encoded >= 0)
        }
        // A plain cursor is the sequence number, as every cursor was before: old replicas keep theirs.
        #expect(PullCursor(plain: 1234).encoded == 1234)
        #expect(PullCursor(1234) == PullCursor(base: 1234, position: 1234))
        // Numbers too large to share one value restart the run from base 0: whole dossiers, never a gap.
        let huge = PullCursor(base: 1 << 40, position: (1 << 40) + (1 << 30))
        #expect(PullCursor(huge.encoded) == PullCursor(base: 0, position: huge.position))
    }

    /// Every event of the agent's scope on the hub, by dossier.
    func hubEvents(_ hub: HubFixture, _ login: String) async throws -> [String: Set<String>] {
        var events: [String: Set<String>] = [:]
        for change in try await hub.store.scope(login: login) { events[change.dossier.id] = Set(change.events.map(\.id)) }
        return events
    }

    /// Syncs page by page from `cursor`, folding the answers the way a replica does.
    func pullAll(_ client: some TestClientProtocol, token: String, from cursor: Int64, into replica: inout [String: Set<String>]) async throws -> Int64 {
        var cursor = cursor
        while true {
            let page = try await client.sync(SyncRequest(cursor: cursor, ops: []), token: token)
            for id in page.removals { replica[id] = nil }
            for change in page.upserts {
                if change.whole { replica[change.dossier.id] = [] }
                replica[change.dossier.id, default: []].formUnion(change.events.map(\.id))
            }
            cursor = page.cursor
            if !page.more { return cursor }
        }
    }

    @Test func aDossierChangedBeforeAndAfterAPageBoundaryKeepsEveryEvent() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 3)
        let token = try await hub.deviceHolding(HubFixture.refs(1...3), for: "alice")
        let other = try await hub.agentWithDevice("alice")
        let (d1, d2, d3) = (try await hub.dossierId("D-000001"), try await hub.dossierId("D-000002"), try await hub.dossierId("D-000003"))
        var ops = OpFactory()
        // From another laptop: d1 changes, then d2, then d1 again. Pages of one dossier order them
        // d2, d1 (by latest change): the first note on d1 lies before the first page's end.
        let notes = [(d1, "un"), (d2, "deux"), (d1, "trois"), (d3, "quatre"), (d1, "cinq")].map { dossier, text in
            ops.make("note", dossier: dossier, payload: OpPayload(text: text))
        }
        try await hub.app(pageSize: 1).test(.router) { client in
            var replica: [String: Set<String>] = [:]
            var cursor = try await pullAll(client, token: token, from: 0, into: &replica)
            #expect(replica == (try await hubEvents(hub, "alice")))
            for note in notes {
                let answer = try await client.sync(SyncRequest(cursor: 0, ops: [note]), token: other)
                #expect(answer.results.map(\.status) == [.applied])
            }
            cursor = try await pullAll(client, token: token, from: cursor, into: &replica)
            #expect(replica == (try await hubEvents(hub, "alice")))
            #expect(replica[d1]?.count == 4)  // assignment and three notes
            let again = try await client.sync(SyncRequest(cursor: cursor, ops: []), token: token)
            #expect(again.upserts.isEmpty && again.removals.isEmpty && !again.more)
        }
    }

    @Test func aFirstSyncOverManyPagesBringsEveryHistoryWhole() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 6)
        let token = try await hub.deviceHolding(HubFixture.refs(1...6), for: "alice")
        var ops = OpFactory()
        // Histories interleaved, so every dossier's latest change lies after other dossiers' earlier ones.
        var batch: [SyncOp] = []
        for round in 1...3 {
            for ref in HubFixture.refs(1...6) {
                batch.append(ops.make("note", dossier: try await hub.dossierId(ref), payload: OpPayload(text: "note \(round)")))
            }
        }
        let pushes = batch
        try await hub.app(pageSize: 2).test(.router) { client in
            let pushed = try await client.sync(SyncRequest(cursor: 0, ops: pushes), token: token)
            #expect(pushed.results.allSatisfy { $0.status == .applied })
            let laptop = try await hub.agentWithDevice("alice")
            var replica: [String: Set<String>] = [:]
            _ = try await pullAll(client, token: laptop, from: 0, into: &replica)
            #expect(replica == (try await hubEvents(hub, "alice")))
            #expect(replica.values.allSatisfy { $0.count == 4 })
        }
    }
}
