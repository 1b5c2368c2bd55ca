import Foundation
import GRDB
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// The rollups are kept incrementally as ops merge and payments arrive; here every figure is
/// recomputed from the raw records on generated weeks of work and must be equal.
@Suite struct MetricsRecomputeTests {
    struct Key: Hashable, CustomStringConvertible {
        var day: String, agent: String, portfolio: String, currency: String
        var description: String { "\(day) \(agent.isEmpty ? "-" : agent) \(portfolio) \(currency)" }
    }
    typealias Figures = [Key: [String: Int64]]

    @Test func everyRollupEqualsItsRecomputationFromRawRecords() async throws {
        let fixture = try HubFixture()
        let summary = try await ActivityGenerator(seed: 11, agents: 7, days: 24, dossiersPerPortfolio: 70).run(on: fixture.store, now: fixture.clock)
        #expect(summary.applied > 500)
        #expect(summary.payments > 20)
        #expect(summary.lateOps > 20, "some calls must reach the hub days after they were made")

        let db = try DatabaseQueue(path: fixture.folder.appendingPathComponent("hub.sqlite").path)
        let (expected, expectedDisputes) = try await db.read { db in (try Self.recompute(db), try Self.recomputeDisputes(db)) }
        let (kept, keptDisputes) = try await db.read { db in (try Self.rollups(db), try Self.disputeRollups(db)) }
        #expect(!expected.isEmpty)
        for key in Set(expected.keys).union(kept.keys).sorted(by: { $0.description < $1.description }) {
            #expect(kept[key] ?? [:] == expected[key] ?? [:], "figures of \(key)")
        }
        #expect(keptDisputes == expectedDisputes)
        // The generated weeks exercise every path: credited and uncredited payments, every promise fate,
        // resolved disputes, dossiers solved within 30 days.
        #expect(expected.contains { !$0.key.agent.isEmpty && ($0.value["collected"] ?? 0) > 0 })
        #expect(expected.contains { $0.key.agent.isEmpty && ($0.value["collected"] ?? 0) > 0 })
        for column in ["promises_kept", "promises_partly", "promises_broken", "solved_30d", "disputes"] {
            #expect(expected.values.contains { ($0[column] ?? 0) > 0 }, "no \(column) in the generated data")
        }
        #expect(expectedDisputes.keys.contains { $0.hasSuffix(" rejected") || $0.hasSuffix(" upheld") || $0.hasSuffix(" adjusted") })

        // Late calls count on the day they were made, not the day they synced.
        let lateCalls = try await db.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE kind = 'call' AND substr(hub_time, 1, 10) > substr(client_time, 1, 10)") ?? 0
        }
        #expect(lateCalls > 0)

        // The agents report reads the same rollups: its per-agent totals are the recomputed sums.
        for row in try await fixture.store.agentReport(ReportFilter()) {
            let login = try #require(row.agent)
            let mine = expected.filter { $0.key.agent == login }.values
            #expect(row.totals.attempts == mine.reduce(0) { $0 + ($1["attempts"] ?? 0) }, "calls of \(login)")
            #expect(row.totals.rightParty == mine.reduce(0) { $0 + ($1["right_party"] ?? 0) }, "right-party contacts of \(login)")
            #expect(row.totals.promisesKept == mine.reduce(0) { $0 + ($1["promises_kept"] ?? 0) }, "kept promises of \(login)")
            #expect(row.totals.collected["EUR", default: 0] == mine.reduce(0) { $0 + ($1["collected"] ?? 0) }, "collected by \(login)")
        }
    }

    @Test func agentRowsOlderThanTheRetentionFoldIntoTheirTeam() async throws {
        let fixture = try HubFixture()
        _ = try await ActivityGenerator(seed: 5, agents: 4, days: 12, dossiersPerPortfolio: 40).run(on: fixture.store, now: fixture.clock)
        let db = try DatabaseQueue(path: fixture.folder.appendingPathComponent("hub.sqlite").path)
        let cutoff = try #require(CalendarDate.adding(days: -6, to: AgencyCalendar.day(of: fixture.clock)))
        let before = try await db.read { db in try Self.teamSums(db) }
        let lastFolded = try #require(CalendarDate.adding(days: -1, to: cutoff))
        let agentDaysBefore = try await fixture.store.dailyMetrics(agent: "agent01", ReportFilter(to: lastFolded)).filter { $0.totals.attempts > 0 }
        #expect(!agentDaysBefore.isEmpty)

        let folded = try await fixture.store.foldAgentMetrics(before: cutoff)
        #expect(folded > 0)
        #expect(try await fixture.store.foldAgentMetrics(before: cutoff) == 0, "folding twice changes nothing")
        let after = try await db.read { db in try Self.teamSums(db) }
        #expect(after == before, "team figures are kept whole")
        let old = try await db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metrics_daily WHERE agent != '' AND day < ?", arguments: [cutoff]) }
        #expect(old == 0, "no per-agent row older than the retention is left")
        #expect(try await fixture.store.dailyMetrics(agent: "agent01", ReportFilter(to: lastFolded)).allSatisfy { $0.totals.attempts == 0 })

        let report = try await fixture.store.agentReport(ReportFilter())
        let agedOut = report.filter { $0.agent == nil }
        #expect(Set(agedOut.compactMap(\.team)) == ["nord", "sud"])
        let recent = try await fixture.store.agentReport(ReportFilter(from: cutoff))
        #expect(recent.allSatisfy { $0.agent != nil }, "a period after the cutoff still has per-agent rows only")
    }

    // MARK: Recomputation from the raw records

    static func day(_ instant: String?) -> String? {
        instant.flatMap(Timestamp.parse).map { AgencyCalendar.day(of: $0) }
    }

    static func recompute(_ db: Database) throws -> Figures {
        var figures: Figures = [:]
        func add(_ key: Key, _ column: String, _ value: Int64) {
            guard value != 0 else { return }
            figures[key, default: [:]][column, default: 0] += value
        }
        let dossiers = try Row.fetchAll(db, sql: "SELECT * FROM dossiers")
        let place = Dictionary(uniqueKeysWithValues: dossiers.map { ($0["id"] as String, (portfolio: $0["portfolio"] as String, currency: $0["currency"] as String)) })
        for call in try Row.fetchAll(db, sql: "SELECT * FROM events WHERE kind = 'call'") {
            let payload = try WireJSON.decode(OpPayload.self, from: Data((call["payload"] as String).utf8))
            let where_ = try #require(place[call["dossier_id"]])
            // On the day it was made, or the day it reached the hub if the laptop dated it later.
            let made = min(try #require(call["client_time"] as String?), try #require(call["hub_time"] as String?))
            let key = Key(day: try #require(day(made)), agent: call["agent"], portfolio: where_.portfolio, currency: where_.currency)
            let outcome = try #require(payload.outcome.flatMap(OutcomeCode.init))
            add(key, "attempts", 1)
            add(key, "contacts", outcome.isContact ? 1 : 0)
            add(key, "right_party", outcome.isRightParty ? 1 : 0)
            add(key, "talk_seconds", Int64(payload.durationSeconds ?? 0))
            add(key, "wrap_seconds", Int64(payload.wrapUpSeconds ?? 0))
        }
        let promises = try Row.fetchAll(db, sql: "SELECT * FROM promises")
        for promise in promises {
            let where_ = try #require(place[promise["dossier_id"]])
            let agent: String = promise["agent"] ?? ""
            if (promise["plan_id"] as String?) == nil {
                let made = Key(day: try #require(day(promise["created_at"])), agent: agent, portfolio: where_.portfolio, currency: where_.currency)
                add(made, "promises_made", 1)
                add(made, "promised_amount", promise["amount"])
            }
            let state: String = promise["state"]
            guard ["kept", "partly-kept", "broken"].contains(state) else { continue }
            let due = Key(day: promise["due_date"], agent: agent, portfolio: where_.portfolio, currency: where_.currency)
            add(due, "promises_due", 1)
            add(due, state == "kept" ? "promises_kept" : state == "broken" ? "promises_broken" : "promises_partly", 1)
            add(due, "due_amount", promise["amount"])
            add(due, "due_paid", promise["paid"])
        }
        for plan in try Row.fetchAll(db, sql: "SELECT p.*, (SELECT SUM(amount) FROM promises WHERE plan_id = p.id) AS total FROM plans p") {
            let where_ = try #require(place[plan["dossier_id"]])
            let made = Key(day: try #require(day(plan["created_at"])), agent: plan["agent"] ?? "", portfolio: where_.portfolio, currency: where_.currency)
            add(made, "promises_made", 1)
            add(made, "promised_amount", plan["total"])
        }
        for dispute in try Row.fetchAll(db, sql: "SELECT * FROM disputes") {
            let where_ = try #require(place[dispute["dossier_id"]])
            add(Key(day: try #require(day(dispute["opened_at"])), agent: dispute["agent"] ?? "", portfolio: where_.portfolio, currency: where_.currency), "disputes", 1)
        }
        // A payment is credited to the agent whose promise it keeps (the ledger's allocation), the rest to no one.
        for dossier in dossiers {
            let id: String = dossier["id"]
            let work = try SQLiteHubStore.loadWork(db, dossierId: id)
            let paidOn = Dictionary(uniqueKeysWithValues: work.payments.map { ($0.id, $0.paidOn) })
            for share in PromiseLedger.allocate(promises: work.promises, payments: work.payments) {
                add(Key(day: try #require(paidOn[share.paymentId]), agent: share.agent ?? "", portfolio: dossier["portfolio"], currency: dossier["currency"]),
                    "collected", share.amount)
            }
            let placed = Key(day: try #require(day(dossier["placed_at"])), agent: "", portfolio: dossier["portfolio"], currency: dossier["currency"])
            add(placed, "placed", 1)
            add(placed, "placed_amount", dossier["amount_due"])
            // Solved: paid in full, the last payment made within 30 days of the placement day.
            if (dossier["status"] as String) == "paid", let lastPaid = work.payments.map(\.paidOn).max(),
               let paidDay = CalendarDate.dayNumber(lastPaid), let placedDay = CalendarDate.dayNumber(placed.day), paidDay - placedDay <= 30 {
                add(placed, "solved_30d", 1)
            }
        }
        return figures
    }

    static func recomputeDisputes(_ db: Database) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for dispute in try Row.fetchAll(db, sql: "SELECT s.*, d.portfolio FROM disputes s JOIN dossiers d ON d.id = s.dossier_id") {
            let base = "\(dispute["portfolio"] as String) \(dispute["agent"] as String? ?? "") \(dispute["reason"] as String)"
            counts["\(try #require(day(dispute["opened_at"]))) \(base) opened", default: 0] += 1
            if let resolved = day(dispute["resolved_at"]) { counts["\(resolved) \(base) \(dispute["state"] as String)", default: 0] += 1 }
        }
        return counts
    }

    static func rollups(_ db: Database) throws -> Figures {
        var figures: Figures = [:]
        let columns = MetricColumn.allCases.map(\.rawValue)
        for row in try Row.fetchAll(db, sql: "SELECT * FROM metrics_daily") {
            let key = Key(day: row["day"], agent: row["agent"], portfolio: row["portfolio"], currency: row["currency"])
            for column in columns where (row[column] as Int64) != 0 { figures[key, default: [:]][column, default: 0] += row[column] }
        }
        return figures
    }

    static func disputeRollups(_ db: Database) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM metrics_disputes") {
            for column in ["opened", "upheld", "rejected", "adjusted"] where (row[column] as Int64) != 0 {
                counts["\(row["day"] as String) \(row["portfolio"] as String) \(row["agent"] as String) \(row["reason"] as String) \(column)", default: 0] += row[column]
            }
        }
        return counts
    }

    /// Every figure summed per day, team and portfolio: what folding must keep.
    static func teamSums(_ db: Database) throws -> [String: Int64] {
        var sums: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT m.day, CASE WHEN m.agent = '' THEN m.team ELSE COALESCE(NULLIF(a.team, ''), '(no team)') END AS team, m.portfolio,
            SUM(m.attempts) AS attempts, SUM(m.collected) AS collected, SUM(m.promises_kept) AS kept, SUM(m.talk_seconds) AS talk
            FROM metrics_daily m LEFT JOIN agents a ON a.login = m.agent GROUP BY 1, 2, 3
            """) {
            for column in ["attempts", "collected", "kept", "talk"] {
                sums["\(row["day"] as String) \(row["team"] as String) \(row["portfolio"] as String) \(column)"] = row[column]
            }
        }
        return sums
    }
}
