import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// DESIGN §4.8, cost follows the change: an up-to-date sync, the merge of one op and a pull page do
/// the same work whether the agent holds 100 dossiers or 2,000. Measured in SQLite's own step
/// counts for every statement the hub ran, never in time.
@Suite struct SyncCostTests {
    /// A hub whose store counts what each statement did, with one agent holding `held` dossiers.
    final class Hub: @unchecked Sendable {
        let folder: URL
        let store: SQLiteHubStore
        let cost: StatementCost
        let token: String
        let clock = Date()

        init(held: Int) async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("hub-cost-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            (store, cost) = try StatementCost.store(in: folder)
            let rows = try DossierCSV.parse(string: SampleDossiers.csv(count: held, seed: 3)).rows
            _ = try await store.importDossiers(portfolio: "P", rows: rows, now: clock, progress: nil)
            _ = try await store.createAgent(NewAgent(login: "alice", name: "Alice", portfolios: ["P"], capacity: 10), now: clock)
            _ = try await store.assign(HubFixture.refs(1...held).map { DossierKey(portfolio: nil, reference: $0) }, to: "alice", now: clock)
            let secret = Secrets.randomToken()
            let enrolledAt = Date(timeIntervalSince1970: 1_262_304_000)
            try await store.createEnrollment(login: "alice", secretHash: Secrets.hash(secret), expiresAt: clock.addingTimeInterval(3600), now: enrolledAt)
            let token = Secrets.randomToken()
            _ = try await store.redeemEnrollment(secretHash: Secrets.hash(secret), deviceId: UUID().uuidString.lowercased(),
                                                 deviceName: "laptop", tokenHash: Secrets.hash(token), now: enrolledAt)
            self.token = token
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func app(pageSize: Int = Limits.pageDossiers) throws -> some ApplicationProtocol {
            let clock = clock
            return try buildApplication(store: store, options: HubServerOptions(tls: nil, pageSize: pageSize, now: { clock }))
        }

        func dossierId(_ reference: String) async throws -> String {
            try await store.dossier(DossierKey(portfolio: nil, reference: reference)).dossier.id
        }
    }

    /// Same work within a few steps: a statement that read the scope would add thousands.
    func expectSameCost(_ small: [StatementCost.Run], _ large: [StatementCost.Run], _ what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let tolerance = max(40, small.steps / 20)
        #expect(abs(large.steps - small.steps) <= tolerance,
                "\(what): \(small.steps) steps holding 100, \(large.steps) holding 2000\n--- 100:\n\(small.report)\n--- 2000:\n\(large.report)",
                sourceLocation: sourceLocation)
        #expect(large.fullScanSteps == 0, "\(what) scans a table:\n\(large.report)", sourceLocation: sourceLocation)
    }

    /// Pulls everything, then returns the statements of one more sync with `ops`.
    func syncCost(_ hub: Hub, ops: (String) -> [SyncOp]) async throws -> (runs: [StatementCost.Run], answer: SyncResponse) {
        let batch = ops(try await hub.dossierId("D-000001"))
        return try await hub.app().test(.router) { client in
            var cursor: Int64 = 0
            while true {
                let page = try await client.sync(SyncRequest(cursor: cursor, ops: []), token: hub.token)
                cursor = page.cursor
                if !page.more { break }
            }
            let request = SyncRequest(cursor: cursor, ops: batch)
            let box = Box()
            let runs = try await hub.cost.runs { box.answer = try await client.sync(request, token: hub.token) }
            return (runs, try #require(box.answer))
        }
    }

    final class Box: @unchecked Sendable { var answer: SyncResponse? }

    @Test func anUpToDateSyncCostsTheSameWhateverTheScope() async throws {
        let small = try await syncCost(try await Hub(held: 100)) { _ in [] }
        let large = try await syncCost(try await Hub(held: 2000)) { _ in [] }
        #expect(large.answer.upserts.isEmpty && !large.answer.more)
        expectSameCost(small.runs, large.runs, "an up-to-date sync")
    }

    @Test(arguments: ["note", "call", "contact", "callback", "promise"])
    func mergingOneOpCostsTheSameWhateverTheScope(kind: String) async throws {
        func op(_ dossier: String) -> [SyncOp] {
            var ops = OpFactory()
            let at = Date().addingTimeInterval(-60)
            let payload: OpPayload = switch kind {
            case "note": OpPayload(text: "Le débiteur rappellera lundi.")
            case "call": OpPayload(outcome: "right-party", durationSeconds: 90, at: Timestamp.string(from: at))
            case "contact": OpPayload(phone: "+33 6 12 34 56 78")
            case "callback": OpPayload(at: Timestamp.string(from: at.addingTimeInterval(86_400)))
            default: OpPayload(amount: 1000, due: AgencyCalendar.day(of: at.addingTimeInterval(7 * 86_400)))
            }
            return [ops.make(kind, dossier: dossier, payload: payload, at: at)]
        }
        let small = try await syncCost(try await Hub(held: 100), ops: op)
        let large = try await syncCost(try await Hub(held: 2000), ops: op)
        #expect(large.answer.results.map(\.status) == [.applied])
        #expect(large.answer.upserts.count == 1)
        // A first note or call makes a new dossier worked, whether or not it is settled.
        if kind == "note" || kind == "call" { #expect(large.answer.upserts.first?.dossier.status == "in-progress") }
        expectSameCost(small.runs, large.runs, "a sync merging one \(kind)")
    }

    @Test func aFirstSyncPageCostsTheSameWhateverTheScope() async throws {
        func firstPage(_ hub: Hub) async throws -> [StatementCost.Run] {
            try await hub.cost.runs { _ = try await hub.store.pull(agentId: 1, after: 0, limit: 50) }
        }
        let small = try await firstPage(try await Hub(held: 100))
        let large = try await firstPage(try await Hub(held: 2000))
        expectSameCost(small, large, "a first-sync page of 50 dossiers")
    }
}
