import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

/// `homeshore next` offline: priority order within the portfolio's contact rules (issue 4).
@Suite struct NextTests {
    static func csv(_ rows: [(String, String)]) -> String {
        "reference,debtor_name,amount_due,currency,due_date,timezone\n"
            + rows.map { "\($0.0),Débiteur \($0.0),100.00,EUR,2026-10-01,\($0.1)" }.joined(separator: "\n") + "\n"
    }

    func instant(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

    func setUp(_ hub: LiveHub, rows: [(String, String)], window: String) async throws -> Desk {
        try await hub.importCSV(Self.csv(rows))
        _ = try await hub.admin.store.setPolicy(portfolio: "P", PolicyChange(window: try CallingWindow(parsing: window)), now: Date())
        let alice = try await hub.enrolledDesk("alice")
        try await hub.assign(rows.map(\.0), to: "alice")
        _ = try await alice.sync()
        return alice
    }

    @Test func theWindowFollowsParisAcrossBothDaylightSavingChanges() async throws {
        try await LiveHub.run { hub in
            let alice = try await setUp(hub, rows: [("PAR", "Europe/Paris")], window: "mon-sat 08:00-20:00")
            // 06:30 UTC on a Monday is 07:30 in winter time and 08:30 in summer time.
            #expect(try alice.replica.next(now: instant("2027-03-22T06:30:00Z")) == nil)
            #expect(try alice.replica.next(now: instant("2027-03-29T06:30:00Z"))?.dossier.reference == "PAR")
            #expect(try alice.replica.next(now: instant("2027-10-25T06:30:00Z"))?.dossier.reference == "PAR")
            #expect(try alice.replica.next(now: instant("2027-11-01T06:30:00Z")) == nil)
            // The Sunday of the change itself is closed all day.
            #expect(try alice.replica.next(now: instant("2027-03-28T10:00:00Z")) == nil)
            let held = try #require(try alice.replica.ranked(now: instant("2027-03-22T06:30:00Z")).first)
            #expect(held.violations.first?.message.contains("08:00") == true)
        }
    }

    @Test func theWindowIsTheDebtorsNotTheAgents() async throws {
        try await LiveHub.run { hub in
            let alice = try await setUp(hub, rows: [("NYC", "America/New_York"), ("RUN", "Indian/Reunion")], window: "mon-fri 09:00-18:00")
            // Monday 22 March 2027, 13:30 UTC: 09:30 in New York (summer time), 17:30 in Réunion.
            let both = try alice.replica.ranked(now: instant("2027-03-22T13:30:00Z")).filter { $0.violations.isEmpty }
            #expect(Set(both.map(\.dossier.reference)) == ["NYC", "RUN"])
            // 15:00 UTC: 11:00 in New York, 19:00 in Réunion (closed) — though it is 16:00 in Paris.
            let open = try alice.replica.ranked(now: instant("2027-03-22T15:00:00Z")).filter { $0.violations.isEmpty }
            #expect(open.map(\.dossier.reference) == ["NYC"])
            // 12:30 UTC: 08:30 in New York (closed), 16:30 in Réunion.
            #expect(try alice.replica.next(now: instant("2027-03-22T12:30:00Z"))?.dossier.reference == "RUN")
        }
    }

    @Test func theSevenDayCapCountsEveryAgentsAttempts() async throws {
        try await LiveHub.run { hub in
            let alice = try await setUp(hub, rows: [("CAP", "Europe/Paris")], window: "mon-sun 00:00-24:00")
            let now = Date()
            try alice.call("CAP", outcome: "no-answer", durationSeconds: 0, note: nil, at: now.addingTimeInterval(-3600), now: now)
            try alice.call("CAP", outcome: "busy", durationSeconds: 0, note: nil, at: now.addingTimeInterval(-1800), now: now)
            _ = try await alice.sync()
            let bob = try await hub.enrolledDesk("bob")
            try await hub.assign(["CAP"], to: "bob")
            _ = try await bob.sync()
            #expect(try bob.replica.next(now: now)?.dossier.reference == "CAP")
            try bob.call("CAP", outcome: "voicemail", durationSeconds: 20, note: nil, at: nil, now: now)
            // Three attempts by two agents: the cap holds it back, offline, until the first one is a week old.
            #expect(try bob.replica.next(now: now.addingTimeInterval(60)) == nil)
            let ranked = try #require(try bob.replica.ranked(now: now.addingTimeInterval(60)).first)
            #expect(ranked.violations.contains { if case .attemptCap(let attempts, let limit, _, _) = $0 { attempts == 3 && limit == 3 } else { false } })
            #expect(try bob.replica.next(now: now.addingTimeInterval(7 * 86_400 + 60))?.dossier.reference == "CAP")
        }
    }

    @Test func restAfterReachingTheDebtorUnlessACallbackWasAgreed() async throws {
        try await LiveHub.run { hub in
            let alice = try await setUp(hub, rows: [("RPC", "Europe/Paris"), ("CB", "Europe/Paris")], window: "mon-sun 00:00-24:00")
            let now = Date()
            try alice.call("RPC", outcome: "right-party", durationSeconds: 120, note: nil, at: nil, now: now)
            try alice.call("CB", outcome: "right-party", durationSeconds: 60, note: nil, at: nil, now: now)
            try alice.callback("CB", at: now.addingTimeInterval(3600), now: now)
            let soon = try alice.replica.ranked(now: now.addingTimeInterval(2 * 3600)).filter { $0.violations.isEmpty }
            // The callback is due and comes first; the other debtor rests for 48 hours.
            #expect(soon.map(\.dossier.reference) == ["CB"])
            #expect(soon.first?.score.reasons.first?.contains("callback") == true)
            #expect(try alice.replica.next(now: now.addingTimeInterval(49 * 3600))?.dossier.reference == "CB")
            let later = try alice.replica.ranked(now: now.addingTimeInterval(49 * 3600)).filter { $0.violations.isEmpty }
            #expect(Set(later.map(\.dossier.reference)) == ["RPC", "CB"])
        }
    }

    @Test func aDisputedDossierIsNeverProposed() async throws {
        try await LiveHub.run { hub in
            let alice = try await setUp(hub, rows: [("DIS", "Europe/Paris")], window: "mon-sun 00:00-24:00")
            #expect(try alice.replica.next()?.dossier.reference == "DIS")
            try alice.dispute("DIS", reason: "quality", note: nil)
            _ = try await alice.sync()
            #expect(try alice.replica.next() == nil)
        }
    }
}
