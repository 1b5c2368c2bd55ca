import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

/// The day's chase list (`homeshore list --follow-up`) against a real in-process hub over TLS.
///
/// Grace periods end with the calendar, so broken promises are made by settling the hub's store at a
/// later `now` (`settleDue(now: +10 days)`): the states it writes reach the laptop at the next pull.
/// From then on the laptop is told the same later time, as it would be ten days on.
@Suite struct FollowUpTests {
    static let csv = """
        reference,debtor_name,amount_due,currency,due_date,phone,city,letter_ref,letter_date
        D-000001,Jeanne Roux,480.00,EUR,2026-09-15,06 12 34 56 78,Lyon,MED-2026-0042,2026-10-01
        D-000002,Paul Girard,900.00,EUR,2026-08-01,06 22 33 44 55,Paris,,
        D-000003,Anne Petit,250.00,EUR,2026-07-01,06 99 88 77 66,Lille,,
        D-000004,Marc Blanc,120.00,EUR,2026-07-01,06 11 22 33 44,Nantes,,

        """

    static func setUp(_ hub: LiveHub) async throws -> Desk {
        try await hub.importCSV(csv, portfolio: "P")
        let alice = try await hub.enrolledDesk("alice")
        try await hub.assign(LiveHub.refs(1...4), to: "alice")
        _ = try await alice.sync()
        return alice
    }

    static func loadScripts(_ hub: LiveHub) async throws {
        let folder = hub.folder.appendingPathComponent("scripts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scripts = [
            "first-contact": "Bonjour {{debtor_name}}, il reste {{balance}}.",
            "broken-promise": "{{debtor_name}}, vous aviez promis {{last_promise}}. Il reste {{balance}}.",
            "plan-follow-up": "Échéancier de {{debtor_name}}.",
            "dispute-follow-up": "Contestation : ne pas relancer {{debtor_name}}.",
        ]
        for (name, text) in scripts {
            try text.write(to: folder.appendingPathComponent(name + ".md"), atomically: true, encoding: .utf8)
        }
        _ = try await hub.admin.loadScripts(directory: folder.path, portfolio: "P")
    }

    static func reasons(_ items: [FollowUpItem]) -> [String: [String]] {
        Dictionary(grouping: items, by: \.dossier.reference).mapValues { $0.map(\.reason.rawValue).sorted() }
    }

    @Test func promisesAndCallbacksDueAreListedButNeverADisputedDossier() async throws {
        try await LiveHub.run { hub in
            let alice = try await Self.setUp(hub)
            // One instant for the whole test, so that "today" cannot change under it at midnight.
            let now = Date()
            let today = AgencyCalendar.day(of: now)
            #expect(try alice.replica.followUp(now: now).isEmpty)

            try alice.promise("D-000001", amount: "40.00", due: today, now: now)
            try alice.callback("D-000002", at: now.addingTimeInterval(-30), now: now)
            // D-000003 has both, and is disputed: it is not chased.
            try alice.promise("D-000003", amount: "20.00", due: today, now: now)
            try alice.callback("D-000003", at: now.addingTimeInterval(-30), now: now)
            try alice.dispute("D-000003", reason: "quality", note: "Produit défectueux", now: now)
            // D-000004: a promise due later is not on today's list.
            try alice.promise("D-000004", amount: "20.00", due: CalendarDate.adding(days: 1, to: today) ?? today, now: now)
            let summary = try await alice.sync()
            #expect(summary.sent == 6 && summary.rejected == 0)

            let items = try alice.replica.followUp(now: now)
            #expect(Self.reasons(items) == ["D-000001": ["promise-due"], "D-000002": ["callback-due"]], "\(items)")
            let promise = try #require(items.first { $0.dossier.reference == "D-000001" })
            #expect(promise.detail.contains("40.00 EUR due \(today)"), "\(promise.detail)")
            let dossiers = try alice.replica.list(status: nil, portfolio: nil)
            #expect(dossiers.first { $0.reference == "D-000003" }?.status == "disputed")
            #expect(dossiers.first { $0.reference == "D-000004" }?.status == "promised")
        }
    }

    @Test func brokenPromisesAndMissedInstalmentsAreChasedUntilTheDebtorIsCalled() async throws {
        try await LiveHub.run { hub in
            let alice = try await Self.setUp(hub)
            try await Self.loadScripts(hub)
            let now = Date()
            let today = AgencyCalendar.day(of: now)
            // A promise made during a call: that call is before the break, so it does not count.
            try alice.callWithPromise("D-000001", amount: "40.00", due: today, durationSeconds: 90, note: nil, at: nil, now: now)
            try alice.plan("D-000002", instalments: 3, amount: "30.00", first: today, every: "1m", now: now)
            try alice.promise("D-000003", amount: "20.00", due: today, now: now)
            try alice.dispute("D-000003", reason: "amount", note: nil, now: now)
            let sent = try await alice.sync()
            #expect(sent.sent == 4 && sent.rejected == 0)
            #expect(Self.reasons(try alice.replica.followUp(now: now)) == ["D-000001": ["promise-due"], "D-000002": ["instalment-due"]])

            // Ten days on: the grace periods (3 days) are over and nothing was paid.
            let later = now.addingTimeInterval(10 * 86_400)
            let settled = try await hub.admin.store.settleDue(now: later)
            #expect(settled == 3)
            _ = try await alice.sync()

            let d1 = try alice.replica.view(reference: "D-000001").dossier
            #expect(d1.work?.promises.first?.state == .broken)
            #expect(d1.status == "in-progress")
            let d2 = try alice.replica.view(reference: "D-000002").dossier
            #expect(d2.work?.plans.first?.state == .late)
            #expect(d2.work?.promises.first { $0.instalment == 1 }?.state == .broken)
            let items = try alice.replica.followUp(now: later)
            #expect(Self.reasons(items) == ["D-000001": ["promise-broken"], "D-000002": ["instalment-missed"]], "\(items)")
            #expect(items.first { $0.dossier.reference == "D-000002" }?.detail.contains("instalment 1 of 30.00 EUR due \(today) broken") == true)

            // The broken-promise script, with the promise filled in.
            #expect(d1.situation == .brokenPromise)
            let script = try #require(try alice.replica.script(for: d1))
            #expect(script == "Jeanne Roux, vous aviez promis 40.00 EUR due \(today) (broken). Il reste 480.00 EUR.")
            #expect(try alice.replica.script(for: d2) == "Échéancier de Paul Girard.")
            let d3 = try alice.replica.view(reference: "D-000003").dossier
            #expect(d3.status == "disputed")
            #expect(try alice.replica.script(for: d3) == "Contestation : ne pas relancer Anne Petit.")

            // Alice calls Jeanne Roux (not yet sent): the broken promise leaves the list, the missed instalment stays.
            let callTime = later.addingTimeInterval(3_600)
            try alice.call("D-000001", outcome: "right-party", durationSeconds: 120, note: "Rappel de la promesse", at: callTime, now: callTime)
            let afterCall = try alice.replica.followUp(now: callTime)
            #expect(Self.reasons(afterCall) == ["D-000002": ["instalment-missed"]], "\(afterCall)")
        }
    }

    @Test func aCallbackDueOnADossierWithABrokenPromiseListsBothReasons() async throws {
        try await LiveHub.run { hub in
            let alice = try await Self.setUp(hub)
            let now = Date()
            let today = AgencyCalendar.day(of: now)
            try alice.promise("D-000004", amount: "120.00", due: today, now: now)
            _ = try await alice.sync()
            let later = now.addingTimeInterval(10 * 86_400)
            #expect(try await hub.admin.store.settleDue(now: later) == 1)
            _ = try await alice.sync()
            // Not sent: the hub would settle again on its own (real) clock, undoing the manipulated break.
            try alice.callback("D-000004", at: later.addingTimeInterval(-30), now: later)
            let items = try alice.replica.followUp(now: later)
            #expect(Self.reasons(items) == ["D-000004": ["callback-due", "promise-broken"]], "\(items)")
            // A callback is not a call: the broken promise is still to be chased.
            #expect(try alice.replica.view(reference: "D-000004").dossier.work?.promises.first?.state == .broken)
        }
    }
}
