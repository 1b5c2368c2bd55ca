import Foundation
import GRDB
@testable import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

/// The contact holds of the work list (issue 10): `next` asks SQLite only for the dossiers that the
/// 7-day cap and the rest let through now, so a replica where nearly everything is held back costs
/// what one where nothing is does. What it answers must stay what the full computation answers.
@Suite struct ContactHoldsTests {
    static let base = Timestamp.parse("2027-03-15T10:00:00Z")!
    static let alwaysOpen = try! CallingWindow(parsing: "mon-sun 00:00-24:00")

    /// For any `now`, `check` reports a cap or a rest exactly when `now` is before the hold.
    @Test(arguments: [UInt64(31), 32, 33])
    func theHoldIsWhenCheckStopsReportingTheCapAndTheRest(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        func around(_ range: ClosedRange<Int>) -> Date { Self.base.addingTimeInterval(Double(random.int(range))) }
        for _ in 0..<400 {
            let policy = ContactPolicy(window: Self.alwaysOpen, maxAttempts7d: random.int(0...4),
                                       restAfterContact: random.pick([0, 3_600, 48 * 3_600]))
            let calls = (0..<random.int(0...6)).map { _ in (time: around(-10 * 86_400...2 * 86_400), rightParty: random.chance(0.3)) }
            let contact = calls.filter(\.rightParty).map(\.time).max()
            let callback = random.chance(0.4) ? around(-3 * 86_400...3 * 86_400) : nil
            let hold = ContactRules.hold(policy: policy, attempts: calls.map(\.time), lastRightPartyContact: contact, callback: callback)
            // The instants where something may change, a second either side, and some at random.
            var edges = calls.map { $0.time.addingTimeInterval(7 * 86_400) } + [callback, contact?.addingTimeInterval(policy.restAfterContact)].compactMap { $0 }
            if case .until(let until) = hold { edges.append(until) }
            let instants = edges.flatMap { [$0.addingTimeInterval(-1), $0, $0.addingTimeInterval(1)] } + (0..<5).map { _ in around(-3 * 86_400...12 * 86_400) }
            for now in instants {
                let violations = ContactRules.check(policy: policy, debtorTimeZone: TimeZone(identifier: "UTC")!, attempts: calls.map(\.time),
                                                    lastRightPartyContact: contact, callbackDue: callback.flatMap { $0 <= now ? $0 : nil }, now: now)
                let held = violations.contains { if case .outsideWindow = $0 { false } else { true } }
                switch hold {
                case .none: #expect(!held, "\(calls) \(String(describing: callback)) at \(now)")
                case .always: #expect(held)
                case .until(let until): #expect(held == (now < until), "\(calls) \(String(describing: callback)) \(policy) at \(now)")
                }
            }
        }
    }

    /// A dossier of portfolio P, new (callable), with calls by other agents at these offsets from `base`.
    static func change(_ n: Int, calls: [(TimeInterval, String)], timezone: String = "Europe/Paris", callback: Date? = nil) -> DossierChange {
        let id = "id-\(n)"
        let dossier = DossierRecord(
            id: id, portfolio: "P", reference: String(format: "D-%05d", n), debtorName: "Débiteur \(n)", debtorType: "person",
            amountDue: Int64(100_000 * (n + 1)), balance: Int64(100_000 * (n + 1)), currency: "EUR", dueDate: "2026-10-01", phone: "06 12 34 56 78",
            city: "Lyon", timezone: timezone, language: "fr", customerSince: nil, priorIncidents: 0, vip: false, status: "new",
            nextCallback: callback.map(Timestamp.string(from:)), assignedTo: "alice", placedAt: "2026-11-01T09:00:00Z", work: DossierWork())
        let events = calls.enumerated().map { k, call in
            EventRecord(id: "event-\(n)-\(k)", dossierId: id, seq: Int64(k + 1), kind: "call", agent: "bob", device: "other",
                        clientTime: Timestamp.string(from: base.addingTimeInterval(call.0)), hubTime: Timestamp.string(from: base.addingTimeInterval(call.0)),
                        payload: OpPayload(outcome: call.1))
        }
        return DossierChange(dossier: dossier, events: events, whole: true)
    }

    static func portfolio(_ policy: ContactPolicy) -> PortfolioRecord {
        PortfolioRecord(name: "P", graceDays: 3, planMissedLimit: 2, scripts: [:], contact: policy)
    }

    static let policy = ContactPolicy(window: alwaysOpen, maxAttempts7d: 3, restAfterContact: 48 * 3_600)

    /// A replica holding `changes`, applied in pages of 100, reopened read-only with every statement traced.
    static func replica(_ changes: [DossierChange], policy: ContactPolicy = policy) throws -> (Replica, ReplicaQueryPlanTests.StatementLog, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("holds-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let writer = try Replica(path: folder + "/" + Replica.fileName)
        try writer.setMeta(.deviceId, "device-1")
        let pages = stride(from: 0, to: changes.count, by: 100).map { Array(changes[$0..<min($0 + 100, changes.count)]) }
        for (index, page) in pages.enumerated() {
            try writer.apply(SyncResponse(results: [], removals: [], upserts: page, cursor: Int64(index + 1), more: index < pages.count - 1,
                                          wipe: false, agent: "alice", hubTime: Timestamp.string(from: base), portfolios: [portfolio(policy)]))
        }
        try writer.close()
        let replica = try Replica(path: folder + "/" + Replica.fileName, access: .readOnly)
        let log = ReplicaQueryPlanTests.StatementLog()
        try replica.pool.writeWithoutTransaction { db in ReplicaQueryPlanTests.trace(db, into: log) }
        return (replica, log, folder)
    }

    /// Records decoded: each is one execution of this statement.
    static func decoded(_ statements: [String]) -> Int {
        statements.filter { $0.hasPrefix("SELECT record FROM dossiers WHERE id") }.count
    }

    /// Three calls in the last ten hours, as in the bench's replica: the cap holds the dossier back.
    static let capped: [(TimeInterval, String)] = [(-36_000, "no-answer"), (-18_000, "busy"), (-3_600, "voicemail")]

    @Test func heldBackDossiersAreNeitherDecodedNorCheckedAgain() throws {
        var statementCounts: [Int] = []
        for count in [40, 400] {
            // The two free dossiers owe the least; every more urgent one is held by the cap, the rest or the window.
            var changes = [Self.change(0, calls: [(-9 * 86_400, "no-answer")]), Self.change(1, calls: [(-86_400, "busy")])]
            changes += (2..<count + 2).map { n in
                switch n % 3 {
                case 0: Self.change(n, calls: Self.capped)
                case 1: Self.change(n, calls: [(-7_200, "right-party")])
                default: Self.change(n, calls: [], timezone: "Pacific/Kiritimati")
                }
            }
            let (replica, log, folder) = try Self.replica(changes, policy: ContactPolicy(window: try CallingWindow(parsing: "mon-fri 09:00-18:00"),
                                                                                        maxAttempts7d: 3, restAfterContact: 48 * 3_600))
            defer { try? FileManager.default.removeItem(atPath: folder) }
            // Monday 10:00 UTC: 11:00 in Paris, Tuesday 00:00 in Kiritimati (UTC+14).
            _ = log.take()
            let pick = try replica.pick(now: Self.base)
            let statements = log.take()
            #expect(pick.pick?.dossier.id == "id-1")
            #expect(Self.decoded(statements) == 1, "\(statements)")
            let expected = try WorkListTests.fullRanking(replica, now: Self.base)
            #expect(pick.pick?.dossier.id == expected.first { $0.isCallable && $0.violations.isEmpty }?.dossier.id)
            #expect(expected.prefix(count).allSatisfy { !$0.violations.isEmpty })
            statementCounts.append(statements.count)
        }
        // However many are held back, the same statements.
        #expect(statementCounts[0] == statementCounts[1])
    }

    @Test(arguments: [40, 400])
    func whenEveryDossierIsHeldOnlyTheFirstFewAreDecoded(count: Int) throws {
        let (replica, log, folder) = try Self.replica((0..<count).map { Self.change($0, calls: Self.capped) })
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = log.take()
        let pick = try replica.pick(now: Self.base)
        let statements = log.take()
        #expect(pick.pick == nil && pick.held == count && pick.firstHeld.count == 5)
        #expect(Self.decoded(statements) == 5, "\(statements)")
        #expect(pick.firstHeld.allSatisfy { $0.violations.contains { if case .attemptCap = $0 { true } else { false } } })
        // The cap frees them a week after the first of their three calls: from then on, the first one is picked.
        let free = Self.base.addingTimeInterval(7 * 86_400 - 36_000)
        #expect(try replica.pick(now: free.addingTimeInterval(-0.001)).pick == nil)
        #expect(try replica.pick(now: free).pick?.dossier.id == WorkListTests.fullRanking(replica, now: free).first?.dossier.id)
    }

    /// A new policy from the hub moves the holds of every dossier of its portfolio.
    @Test func aPolicyChangeMovesTheHoldsOfItsPortfolio() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("holds-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let replica = try Replica(path: folder + "/" + Replica.fileName)
        try replica.setMeta(.deviceId, "device-1")
        func page(_ cursor: Int64, _ changes: [DossierChange], _ policy: ContactPolicy?) throws {
            try replica.apply(SyncResponse(results: [], removals: [], upserts: changes, cursor: cursor, more: false, wipe: false, agent: "alice",
                                           hubTime: Timestamp.string(from: Self.base), portfolios: policy.map { [Self.portfolio($0)] }))
        }
        // No policy yet (the defaults), then the hub's, then a shorter rest, then a window that opens later.
        try page(1, (0..<20).map { Self.change($0, calls: $0 % 2 == 0 ? Self.capped : [(-7_200, "right-party")]) }, nil)
        #expect(try replica.pick(now: Self.base).pick == nil)
        try page(2, [], Self.policy)
        #expect(try replica.pick(now: Self.base).pick == nil)
        try page(3, [], ContactPolicy(window: Self.alwaysOpen, maxAttempts7d: 3, restAfterContact: 3_600))
        let rested = try WorkListTests.fullRanking(replica, now: Self.base)
        #expect(try replica.pick(now: Self.base).pick?.dossier.id == rested.first { $0.violations.isEmpty }?.dossier.id)
        #expect(try replica.pick(now: Self.base).pick?.dossier.id == "id-19")
        try page(4, [], ContactPolicy(window: Self.alwaysOpen, maxAttempts7d: 3, restAfterContact: 30 * 86_400))
        // The capped ones are free after a week, the ones reached only once the 30 days are over.
        let restEnd = Self.base.addingTimeInterval(30 * 86_400 - 7_200)
        for (now, free) in [(restEnd.addingTimeInterval(-1), 10), (restEnd, 20)] {
            let full = try WorkListTests.fullRanking(replica, now: now)
            #expect(full.filter(\.violations.isEmpty).count == free)
            #expect(try replica.pick(now: now).pick?.dossier.id == full.first { $0.violations.isEmpty }?.dossier.id)
        }
    }

    /// Work typed on this laptop holds a dossier back at once; acknowledged, it still does (merged).
    @Test func callsAndCallbacksQueuedHereMoveTheHold() throws {
        let (fresh, _, folder) = try Self.replica([Self.change(0, calls: [(-18_000, "busy"), (-3_600, "voicemail")]),
                                                  Self.change(1, calls: [(-7_200, "right-party")])])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try fresh.close()
        let replica = try Replica(path: folder + "/" + Replica.fileName)
        #expect(try replica.next(now: Self.base)?.dossier.id == "id-0")
        try replica.record(kind: .call, dossierId: "id-0", payload: OpPayload(outcome: "no-answer", durationSeconds: 0, at: Timestamp.string(from: Self.base)), now: Self.base)
        #expect(try replica.next(now: Self.base.addingTimeInterval(60)) == nil)
        // A callback agreed for in an hour lifts the rest of id-1 once it is due.
        try replica.record(kind: .callback, dossierId: "id-1", payload: OpPayload(at: Timestamp.string(from: Self.base.addingTimeInterval(3_600))), now: Self.base)
        #expect(try replica.next(now: Self.base.addingTimeInterval(3_599)) == nil)
        #expect(try replica.next(now: Self.base.addingTimeInterval(3_600))?.dossier.id == "id-1")
        let queued = try replica.queued()
        try replica.apply(SyncResponse(results: queued.map { OpResult(id: $0.op.id, status: .rejected, code: "refused", reason: "no") },
                                       removals: [], upserts: [], cursor: 50, more: false, wipe: false, agent: "alice",
                                       hubTime: Timestamp.string(from: Self.base)))
        // Refused, the queued call no longer counts, nor the callback.
        #expect(try replica.next(now: Self.base.addingTimeInterval(60))?.dossier.id == "id-0")
        #expect(try replica.next(now: Self.base.addingTimeInterval(3_600))?.dossier.id == "id-0")
    }

    /// The pairs whose window `next` checks, found by seeking, are all the pairs of callable dossiers.
    @Test(arguments: [UInt64(35), 36])
    func theWindowGroupsAreEveryPortfolioAndZoneOfCallableDossiers(seed: UInt64) throws {
        let (replica, folder) = try WorkListTests.randomReplica(seed: seed, dossiers: 120)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try replica.read { db in
            func pairs(_ sql: String) throws -> [String] { try Row.fetchAll(db, sql: sql).map { "\($0[0] as String)/\($0[1] as String)" } }
            let all = try pairs("SELECT DISTINCT portfolio, timezone FROM work_list WHERE callable = 1 ORDER BY portfolio, timezone")
            #expect(try pairs(Replica.callableGroupsSQL) == all)
            #expect(all.count == 6)
            let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Replica.callableGroupsSQL).map { $0["detail"] as String }
            #expect(plan.filter { $0.contains("work_list_groups") }.count == 3, "\(plan)")
        }
    }

    /// A replica of v4 (a work list without the holds) gets them filled, and reads as a fresh one.
    @Test func aVersionFourReplicaGetsItsHolds() throws {
        let (fresh, folder) = try WorkListTests.randomReplica(seed: 34, dossiers: 80)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let instants = try WorkListTests.instants.map { try #require(Timestamp.parse($0)) }
        let expected = try instants.map { try fresh.pick(now: $0).pick?.dossier.id }
        try fresh.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP INDEX work_list_free_from;
                ALTER TABLE work_list DROP COLUMN free_from;
                DROP INDEX work_list_groups;
                DELETE FROM grdb_migrations WHERE identifier IN ('v5-contact-holds', 'v6-work-list-groups');
                """)
        }
        try fresh.close()
        let reopened = try Replica(path: folder + "/" + Replica.fileName)
        #expect(try instants.map { try reopened.pick(now: $0).pick?.dossier.id } == expected)
        #expect(try reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM work_list WHERE free_from IS NULL") } == 0)
        #expect(try reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM work_list") } == reopened.dossierCount())
    }
}
