import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HummingbirdTesting
import Testing

/// Issue 4: automatic hand-out at sync, skills, leases.
@Suite struct HandOutTests {
    /// Dossiers with chosen languages, in portfolio P unless said.
    func importDossiers(_ hub: HubFixture, count: Int, language: String = "fr", portfolio: String = "P", prefix: String = "H") async throws {
        var csv = "reference,debtor_name,amount_due,currency,due_date,language\n"
        for n in 1...count { csv += "\(prefix)-\(n),Débiteur \(n),\(100 + n).00,EUR,2026-10-01,\(language)\n" }
        _ = try await hub.store.importDossiers(portfolio: portfolio, rows: try DossierCSV.parse(string: csv).rows, now: hub.clock, progress: nil)
    }

    func agent(_ hub: HubFixture, _ login: String, capacity: Int, languages: [String] = ["fr"], portfolios: [String] = ["P"]) async throws -> (Int64, String) {
        _ = try await hub.store.createAgent(NewAgent(login: login, name: login, languages: languages, portfolios: portfolios, capacity: capacity), now: hub.clock)
        let token = try await hub.agentWithDevice(login)
        let id = try #require(try await hub.store.agent(login: login)).id
        return (id, token)
    }

    @Test func concurrentSyncsNeverShareADossierAndFillEveryCapacity() async throws {
        let hub = try HubFixture()
        try await importDossiers(hub, count: 130)
        var made: [String: String] = [:]
        for n in 1...12 { made["agent\(n)"] = try await agent(hub, "agent\(n)", capacity: 10).1 }
        let tokens = made
        let app = try hub.app()
        try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (_, token) in tokens {
                    group.addTask { _ = try await client.sync(SyncRequest(cursor: 0, ops: []), token: token) }
                }
                try await group.waitForAll()
            }
        }
        var seen: [String: String] = [:]
        for login in tokens.keys {
            let scope = try await hub.store.scope(login: login)
            #expect(scope.count == 10, "\(login) holds \(scope.count)")
            for change in scope {
                #expect(seen[change.dossier.id] == nil, "\(change.dossier.reference) given to \(login) and \(seen[change.dossier.id] ?? "")")
                seen[change.dossier.id] = login
            }
        }
        #expect(seen.count == 120)
    }

    @Test func concurrentHandOutsOnTheStoreAreAtomic() async throws {
        let hub = try HubFixture()
        try await importDossiers(hub, count: 50)
        var ids: [Int64] = []
        for n in 1...8 { ids.append(try await agent(hub, "a\(n)", capacity: 10).0) }
        let store = hub.store
        let now = hub.clock
        let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
            for id in ids { group.addTask { try await store.handOut(agentId: id, now: now) } }
            return try await group.reduce(0, +)
        }
        #expect(claimed == 50)
        var total = 0
        for n in 1...8 { total += try await hub.store.scope(login: "a\(n)").count }
        #expect(total == 50)
    }

    @Test func languagesPortfoliosAndDisputesAreRespected() async throws {
        let hub = try HubFixture()
        try await importDossiers(hub, count: 5, language: "en", prefix: "EN")
        try await importDossiers(hub, count: 5, language: "fr", prefix: "FR")
        try await importDossiers(hub, count: 5, language: "fr", portfolio: "Q", prefix: "Q")
        let (english, _) = try await agent(hub, "english", capacity: 50, languages: ["en"])
        let (french, _) = try await agent(hub, "french", capacity: 50, languages: ["fr"], portfolios: ["P"])
        _ = try await hub.store.handOut(agentId: english, now: hub.clock)
        #expect(Set(try await hub.store.scope(login: "english").map(\.dossier.reference)) == Set((1...5).map { "EN-\($0)" }))
        // A disputed dossier never leaves the pool.
        let token = try await hub.deviceHolding(["FR-1"], for: "french")
        let auth = try #require(try await hub.store.authenticate(tokenHash: Secrets.hash(token)))
        var ops = OpFactory()
        _ = try await hub.store.push([ops.make("dispute", dossier: try await hub.dossierId("FR-1"), payload: OpPayload(reason: "quality"))],
                                     from: auth, queued: 0, oldestQueuedAt: nil, now: hub.clock)
        try await hub.assign(["FR-1"], to: nil)
        _ = try await hub.store.handOut(agentId: french, now: hub.clock)
        let held = Set(try await hub.store.scope(login: "french").map(\.dossier.reference))
        #expect(held == Set((2...5).map { "FR-\($0)" }))
    }

    @Test func anExpiredLeaseReturnsUntouchedDossiersAndKeepsPromisedOnes() async throws {
        let hub = try HubFixture()
        try await importDossiers(hub, count: 6)
        let (alice, token) = try await agent(hub, "alice", capacity: 6)
        try await hub.assign(["H-6"], to: "alice")   // pinned by a supervisor
        #expect(try await hub.store.handOut(agentId: alice, now: hub.clock) == 5)
        let auth = try #require(try await hub.store.authenticate(tokenHash: Secrets.hash(token)))
        var ops = OpFactory()
        let held = try await hub.store.scope(login: "alice").map(\.dossier).filter { $0.reference != "H-6" }.sorted { $0.reference < $1.reference }
        let due = try #require(CalendarDate.adding(days: 10, to: AgencyCalendar.day(of: hub.clock)))
        _ = try await hub.store.push([
            ops.make("callback", dossier: held[0].id, payload: OpPayload(at: Timestamp.string(from: hub.clock.addingTimeInterval(86_400 * 5))), at: hub.clock),
            ops.make("promise", dossier: held[1].id, payload: OpPayload(amount: 1000, due: due), at: hub.clock),
        ], from: auth, queued: 0, oldestQueuedAt: nil, now: hub.clock)

        let early = try await hub.store.expireLeases(now: hub.clock.addingTimeInterval(71 * 3600))
        #expect(early.released.isEmpty && early.kept.isEmpty)
        let sweep = try await hub.store.expireLeases(now: hub.clock.addingTimeInterval(73 * 3600))
        #expect(Set(sweep.released) == Set(held[2...].map(\.reference)))
        #expect(Set(sweep.kept.map(\.reference)) == Set([held[0].reference, held[1].reference]))
        #expect(sweep.kept.allSatisfy { $0.agent == "alice" })
        let remaining = Set(try await hub.store.scope(login: "alice").map(\.dossier.reference))
        #expect(remaining == Set([held[0].reference, held[1].reference, "H-6"]))
    }

    @Test func aSyncRenewsTheLease() async throws {
        let hub = try HubFixture()
        try await importDossiers(hub, count: 2)
        let (_, token) = try await agent(hub, "alice", capacity: 2)
        try await hub.app().test(.router) { client in
            _ = try await client.sync(SyncRequest(cursor: 0, ops: []), token: token)
        }
        hub.clock = hub.clock.addingTimeInterval(60 * 3600)
        try await hub.app().test(.router) { client in
            _ = try await client.sync(SyncRequest(cursor: 0, ops: []), token: token)
        }
        let sweep = try await hub.store.expireLeases(now: hub.clock.addingTimeInterval(60 * 3600))
        #expect(sweep.released.isEmpty)
        #expect(try await hub.store.scope(login: "alice").count == 2)
    }
}
