import Foundation
import GRDB
@testable import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

/// The work list (issue 10): `next`, `list` and the chase list read a narrow, indexed table kept up to
/// date as pages apply and ops are recorded, instead of decoding and scoring every dossier. These
/// tests check that what they answer is exactly what the full computation over every record answers.
@Suite struct WorkListTests {
    /// A replica in a fresh folder, enrolled as far as `record` needs, holding a random scope.
    static func randomReplica(seed: UInt64, dossiers: Int) throws -> (Replica, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("worklist-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let replica = try Replica(path: folder + "/" + Replica.fileName)
        try replica.setMeta(.deviceId, "device-1")
        var random = SeededRandom(seed: seed)
        let base = try #require(Timestamp.parse("2027-03-15T10:00:00Z"))
        var changes: [DossierChange] = []
        for n in 0..<dossiers {
            changes.append(randomChange(n, base: base, random: &random))
        }
        let policy = ContactPolicy(window: try CallingWindow(parsing: "mon-fri 09:00-18:00"), maxAttempts7d: 2, restAfterContact: 48 * 3600)
        let portfolios = ["P", "Q"].map { PortfolioRecord(name: $0, graceDays: 3, planMissedLimit: 2, scripts: [:], contact: policy) }
        // Several pages, the second replacing some dossiers whole, as a re-pull would.
        let pages = stride(from: 0, to: changes.count, by: 40).map { Array(changes[$0..<min($0 + 40, changes.count)]) }
        for (index, page) in pages.enumerated() {
            try replica.apply(SyncResponse(results: [], removals: [], upserts: page, cursor: Int64(index + 1), more: index < pages.count - 1,
                                           wipe: false, agent: "alice", hubTime: Timestamp.string(from: base), portfolios: portfolios))
        }
        let again = changes.filter { _ in random.chance(0.2) }.map { change in
            var change = randomChange(Int(change.dossier.reference.dropFirst(2))!, base: base, random: &random)
            change.whole = random.chance(0.5)
            return change
        }
        try replica.apply(SyncResponse(results: [], removals: changes.filter { _ in random.chance(0.05) }.map(\.dossier.id),
                                       upserts: again, cursor: 99, more: false, wipe: false, agent: "alice", hubTime: Timestamp.string(from: base)))
        // Work typed on this laptop and not yet sent: it counts at once.
        for change in changes where random.chance(0.3) {
            let id = change.dossier.id
            guard try replica.dossierCount() > 0 else { break }
            let at = base.addingTimeInterval(Double(random.int(-10...3)) * 86_400 + Double(random.int(0...86_399)))
            switch random.int(0...4) {
            case 0: try replica.record(kind: .call, dossierId: id, payload: OpPayload(outcome: random.pick(["no-answer", "right-party", "busy"]),
                                                                                     durationSeconds: 10, at: Timestamp.string(from: at)), now: base)
            case 1: try replica.record(kind: .callback, dossierId: id, payload: OpPayload(at: Timestamp.string(from: at)), now: base)
            case 2: try replica.record(kind: .contact, dossierId: id, payload: OpPayload(phone: "06 00 00 00 \(random.int(10...99))"), now: base)
            case 3: try replica.record(kind: .dispute, dossierId: id, payload: OpPayload(reason: "quality"), now: base)
            default: try replica.record(kind: .note, dossierId: id, payload: OpPayload(text: "note"), now: base)
            }
        }
        return (replica, folder)
    }

    static func randomChange(_ n: Int, base: Date, random: inout SeededRandom) -> DossierChange {
        func day(_ offset: ClosedRange<Int>) -> String { AgencyCalendar.day(of: base.addingTimeInterval(Double(random.int(offset)) * 86_400)) }
        func instant(_ offset: ClosedRange<Int>) -> String {
            Timestamp.string(from: base.addingTimeInterval(Double(random.int(offset)) * 86_400 + Double(random.int(0...86_399))))
        }
        let id = "id-\(n)"
        var promises: [PromiseRecord] = []
        var plans: [PlanRecord] = []
        if random.chance(0.4) {
            if random.chance(0.3) {
                plans.append(PlanRecord(id: "plan-\(n)", instalments: 2, amount: 3000, first: day(-20...5), every: "1m",
                                        state: random.pick([.onTrack, .late, .cancelled]), missedLimit: 2, agent: "alice", createdAt: instant(-40...(-30))))
            }
            for k in 0..<random.int(1...3) {
                let state: PromiseState = random.pick([.active, .active, .broken, .partlyKept, .kept, .cancelled])
                promises.append(PromiseRecord(id: "promise-\(n)-\(k)", amount: Int64(random.int(1000...90000)), paid: Int64(random.int(0...500)),
                                              due: day(-20...10), graceDays: 3, state: state,
                                              planId: plans.isEmpty || random.chance(0.5) ? nil : plans[0].id, instalment: plans.isEmpty ? nil : k + 1,
                                              agent: "alice", createdAt: instant(-40...(-30)),
                                              settledAt: state == .broken || state == .partlyKept ? instant(-15...0) : nil))
            }
        }
        let disputes = random.chance(0.1) ? [DisputeRecord(id: "dispute-\(n)", reason: .amount, note: nil, state: random.pick([.open, .rejected]),
                                                              agent: "alice", openedAt: instant(-10...0))] : []
        let status = random.pick(["new", "in-progress", "promised", "plan", "disputed", "paid", "closed"])
        let dossier = DossierRecord(
            id: id, portfolio: random.pick(["P", "Q"]), reference: String(format: "D-%05d", n), debtorName: "Débiteur \(n)", debtorType: "person",
            amountDue: Int64(random.int(100...10_000_000)), balance: Int64(random.int(0...10_000_000)), currency: random.pick(["EUR", "EUR", "JPY"]),
            dueDate: day(-400...30), phone: random.chance(0.8) ? "06 12 34 \(random.int(10...99)) \(random.int(10...99))" : nil,
            city: random.pick(["Lyon", "Besançon", nil]), timezone: random.pick(["Europe/Paris", "America/New_York", "Indian/Reunion"]),
            language: "fr", customerSince: random.chance(0.5) ? day(-800...10) : nil, priorIncidents: random.int(0...3), vip: random.chance(0.1),
            status: status, nextCallback: random.chance(0.3) ? instant(-5...5) : nil, assignedTo: "alice", placedAt: instant(-60...2),
            work: DossierWork(promises: promises, plans: plans, disputes: disputes))
        let events = (0..<random.int(0...6)).map { k in
            EventRecord(id: "event-\(n)-\(k)", dossierId: id, seq: Int64(k + 1), kind: random.pick(["call", "call", "note"]), agent: "bob",
                        device: "other", clientTime: random.chance(0.95) ? instant(-12...1) : nil, hubTime: instant(-12...1),
                        payload: OpPayload(outcome: random.pick(["no-answer", "right-party", "voicemail", "third-party"])))
        }
        return DossierChange(dossier: dossier, events: events, whole: true)
    }

    /// The ranking as it was computed before the work list: every record decoded, scored and sorted.
    static func fullRanking(_ replica: Replica, now: Date) throws -> [RankedDossier] {
        try replica.read { db in
            var ranking = Replica.Ranking(now: now)
            let all = try String.fetchAll(db, sql: "SELECT id FROM dossiers").compactMap { try ranking.rank(db, dossierId: $0) }
            return all.sorted {
                ($0.score.value, $1.dossier.portfolio, $1.dossier.reference) > ($1.score.value, $0.dossier.portfolio, $0.dossier.reference)
            }
        }
    }

    static let instants = ["2027-03-15T10:00:00Z", "2027-03-15T21:30:00Z", "2027-03-17T14:00:00Z", "2027-03-20T10:00:00Z",
                           "2027-04-20T08:00:00Z", "2026-12-31T23:30:00Z", "2028-06-01T12:00:00Z"]

    @Test(arguments: [UInt64(1), 2, 3])
    func theRankingFromTheWorkListIsTheFullComputation(seed: UInt64) throws {
        let (replica, folder) = try Self.randomReplica(seed: seed, dossiers: 150)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Beside the fixed instants, the very instants some dossiers come free of the cap or the rest
        // (Replica+ContactHolds), a millisecond before and after: the pick must not move by rounding.
        let edges = try replica.read { db in
            try Double.fetchAll(db, sql: "SELECT DISTINCT free_from FROM work_list WHERE callable = 1 AND abs(free_from) < 1e300 ORDER BY dossier_id LIMIT 8")
        }
        let instants = try Self.instants.map { try #require(Timestamp.parse($0)) }
            + edges.flatMap { edge in [-0.001, 0, 0.001].map { Date(timeIntervalSinceReferenceDate: edge + $0) } }
        // Which rules held back a callable dossier more urgent than the pick, over all instants.
        var passedOver: Set<String> = []
        for now in instants {
            let text = Timestamp.string(from: now)
            let expected = try Self.fullRanking(replica, now: now)
            let ranked = try replica.ranked(now: now)
            #expect(ranked.map(\.dossier.id) == expected.map(\.dossier.id), "at \(text)")
            #expect(ranked.map(\.score) == expected.map(\.score), "at \(text)")
            #expect(ranked.map(\.violations) == expected.map(\.violations), "at \(text)")
            // The score SQL computes for the order is the score itself.
            let sqlScores = try replica.read { db in
                try Row.fetchAll(db, sql: "SELECT dossier_id, \(Replica.scoreSQL) AS score FROM work_list",
                                 arguments: StatementArguments(Replica.scoreArguments(now: now)))
                    .reduce(into: [String: Int]()) { $0[$1["dossier_id"]] = $1["score"] }
            }
            #expect(expected.allSatisfy { sqlScores[$0.dossier.id] == $0.score.value }, "at \(text)")
            let pick = try replica.pick(now: now)
            #expect(pick.pick?.dossier.id == expected.first { $0.isCallable && $0.violations.isEmpty }?.dossier.id, "at \(text)")
            for ranked in expected.prefix(while: { $0.dossier.id != pick.pick?.dossier.id }) where ranked.isCallable {
                for violation in ranked.violations {
                    switch violation {
                    case .outsideWindow: passedOver.insert("window")
                    case .attemptCap: passedOver.insert("cap")
                    case .resting: passedOver.insert("rest")
                    }
                }
            }
            if pick.pick == nil {
                #expect(pick.held == expected.filter(\.isCallable).count)
                #expect(pick.firstHeld.map(\.dossier.id) == expected.filter(\.isCallable).prefix(5).map(\.dossier.id))
            }
            let lines = try replica.listLines(now: now)
            #expect(lines == expected.map { DossierLine($0.dossier) }, "at \(text)")
            #expect(try replica.listLines(status: "new", portfolio: "Q", now: now).map(\.id)
                    == expected.filter { $0.dossier.status == "new" && $0.dossier.portfolio == "Q" }.map(\.dossier.id))
        }
        #expect(passedOver == ["window", "cap", "rest"])
    }

    /// The chase list as it was computed before: every record read in portfolio and reference order.
    @Test(arguments: [UInt64(4), 5])
    func theChaseListReadsOnlyWhatTheWorkListPointsAt(seed: UInt64) throws {
        let (replica, folder) = try Self.randomReplica(seed: seed, dossiers: 150)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for text in Self.instants {
            let now = try #require(Timestamp.parse(text))
            let items = try replica.followUp(now: now)
            let everything = try replica.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM dossiers").compactMap { try Replica.heldDossier(db, id: $0) }
            }
            // Each dossier the full computation would list is listed, for the same reasons, in order.
            let expected = try Self.fullFollowUp(replica, dossiers: everything, now: now)
            #expect(items == expected, "at \(text)")
            #expect(!expected.isEmpty || text == Self.instants.last)
        }
    }

    /// The rule of `followUp`, applied to every dossier (what it did before the work list).
    static func fullFollowUp(_ replica: Replica, dossiers: [DossierRecord], now: Date) throws -> [FollowUpItem] {
        let today = AgencyCalendar.day(of: now)
        let stamp = Timestamp.string(from: now)
        var items: [FollowUpItem] = []
        for dossier in dossiers.sorted(by: { ($0.portfolio, $0.reference) < ($1.portfolio, $1.reference) }) {
            let work = dossier.work ?? DossierWork()
            let disputedHere = try replica.hasQueued(.dispute, dossierId: dossier.id)
            guard work.openDispute == nil, !disputedHere, dossier.status != "paid", dossier.status != "closed" else { continue }
            func money(_ amount: Int64) -> String { Money.describe(amount, currency: dossier.currency) }
            if let callback = dossier.nextCallback, callback <= stamp {
                items.append(FollowUpItem(dossier: dossier, reason: .callbackDue, detail: "callback due since \(callback)"))
            }
            let lastCall = try replica.read { db in try Replica.calls(db, dossierId: dossier.id).map(\.time).max() }
            for promise in work.promises {
                let what = promise.instalment.map { "instalment \($0) of \(money(promise.amount))" } ?? "promise of \(money(promise.amount))"
                switch promise.state {
                case .active where promise.due <= today:
                    let left = promise.amount - promise.paid
                    let detail = "\(what) due \(promise.due)" + (promise.paid > 0 ? ", \(money(left)) still unpaid" : "") + ", grace until \(promise.graceEnd)"
                    items.append(FollowUpItem(dossier: dossier, reason: promise.planId == nil ? .promiseDue : .instalmentDue, detail: detail))
                case .broken, .partlyKept:
                    guard let settled = promise.settledAt.flatMap(Timestamp.parse), lastCall.map({ $0 < settled }) ?? true else { continue }
                    if promise.planId != nil, work.plans.first(where: { $0.id == promise.planId })?.state == .cancelled { continue }
                    let detail = "\(what) due \(promise.due) \(promise.state == .broken ? "broken" : "partly kept (\(money(promise.paid)) paid)")"
                    items.append(FollowUpItem(dossier: dossier, reason: promise.planId == nil ? .promiseBroken : .instalmentMissed, detail: detail))
                default:
                    continue
                }
            }
        }
        return items
    }

    @Test func acknowledgedAndRefusedOpsLeaveTheWorkList() throws {
        let (replica, folder) = try Self.randomReplica(seed: 9, dossiers: 60)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let now = try #require(Timestamp.parse("2027-03-17T14:00:00Z"))
        let queued = try replica.queued()
        let results = queued.enumerated().map { index, op in
            OpResult(id: op.op.id, status: index % 3 == 0 ? .rejected : .applied, code: index % 3 == 0 ? "refused" : nil,
                     reason: index % 3 == 0 ? "no" : nil)
        }
        try replica.apply(SyncResponse(results: results, removals: [], upserts: [], cursor: 100, more: false, wipe: false,
                                       agent: "alice", hubTime: Timestamp.string(from: now)))
        #expect(try replica.queuedCount().count == 0)
        let expected = try Self.fullRanking(replica, now: now)
        #expect(try replica.ranked(now: now).map(\.score) == expected.map(\.score))
        #expect(try replica.listLines(now: now) == expected.map { DossierLine($0.dossier) })
    }
}

/// The same replica for the same seed on every run.
typealias SeededRandom = SampleDossiers.SplitMix64

extension SampleDossiers.SplitMix64 {
    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
}
