import Foundation
import HomeshoreCore
import Testing

private func utc(_ text: String) -> Date {
    guard let date = Timestamp.parse(text) else { fatalError("bad test timestamp \(text)") }
    return date
}

private let paris = TimeZone(identifier: "Europe/Paris")!
private let newYork = TimeZone(identifier: "America/New_York")!
private let reunion = TimeZone(identifier: "Indian/Reunion")!

@Suite struct ContactRulesTests {
    // Tuesday 23 March 2027, 15:00 in Paris: inside the standard window.
    let now = utc("2027-03-23T14:00:00Z")
    let policy = ContactPolicy()
    let hour: TimeInterval = 3_600
    let day: TimeInterval = 86_400

    @Test func defaults() {
        #expect(policy.window == .standard)
        #expect(policy.maxAttempts7d == 3)
        #expect(policy.restAfterContact == 48 * 3_600)
    }

    @Test func aPolicyKeepsItsCapThroughTheWire() throws {
        let policy = ContactPolicy(maxAttempts7d: 5, restAfterContact: 24 * 3_600)
        let wire = try WireJSON.encode(policy)
        #expect(String(decoding: wire, as: UTF8.self).contains("\"max_attempts7d\":5"))
        #expect(try WireJSON.decoder().decode(ContactPolicy.self, from: wire) == policy)
        #expect(try JSONDecoder().decode(ContactPolicy.self, from: JSONEncoder().encode(policy)) == policy)
    }

    @Test func clearCallHasNoViolation() {
        let violations = ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [now - 2 * day],
                                            lastRightPartyContact: now - 3 * day, callbackDue: nil, now: now)
        #expect(violations.isEmpty)
    }

    @Test func capCountsEveryAgentsAttempts() {
        // Agent A called twice, agent B once: three calls on the dossier in 7 days.
        let agentA = [now - 1 * day, now - 3 * day]
        let agentB = [now - 2 * day]
        let violations = ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: agentA + agentB,
                                            lastRightPartyContact: nil, callbackDue: nil, now: now)
        #expect(violations == [.attemptCap(attempts: 3, limit: 3, since: now - 3 * day, until: now + 4 * day)])
        #expect(violations.first?.message == "7-day cap reached: 3 attempts since Sat 2027-03-20 15:00 (limit 3); next call possible from Sat 2027-03-27 15:00.")
        // Two calls only: allowed.
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: agentA, lastRightPartyContact: nil,
                                   callbackDue: nil, now: now).isEmpty)
        // Four calls: the cap lifts when the two oldest have aged out.
        let four = agentA + agentB + [now - 5 * day]
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: four, lastRightPartyContact: nil,
                                   callbackDue: nil, now: now) == [.attemptCap(attempts: 4, limit: 3, since: now - 5 * day, until: now + 4 * day)])
    }

    @Test func rollingSevenDaysEdge() {
        let week = 7 * day
        // Exactly 7 × 24 h ago no longer counts...
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [now - week, now - day, now - 2 * day],
                                   lastRightPartyContact: nil, callbackDue: nil, now: now).isEmpty)
        // ...one second later it does, until exactly one second from now.
        let edge = [now - week + 1, now - day, now - 2 * day]
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: edge, lastRightPartyContact: nil,
                                   callbackDue: nil, now: now) == [.attemptCap(attempts: 3, limit: 3, since: now - week + 1, until: now + 1)])
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: edge, lastRightPartyContact: nil,
                                   callbackDue: nil, now: now + 1).isEmpty)
    }

    @Test func restAfterRightPartyContact() {
        let contact = now - 24 * hour
        let resting = ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [contact],
                                         lastRightPartyContact: contact, callbackDue: nil, now: now)
        #expect(resting == [.resting(since: contact, until: now + 24 * hour)])
        #expect(resting.first?.message == "Resting after a right-party contact at Mon 2027-03-22 15:00 until Wed 2027-03-24 15:00.")
        // Over once the rest period has passed.
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [contact], lastRightPartyContact: contact,
                                   callbackDue: nil, now: contact + 48 * hour).isEmpty)
        // A 72h policy rests longer.
        let longer = ContactPolicy(restAfterContact: 72 * hour)
        #expect(ContactRules.check(policy: longer, debtorTimeZone: paris, attempts: [], lastRightPartyContact: contact,
                                   callbackDue: nil, now: contact + 66 * hour) == [.resting(since: contact, until: contact + 72 * hour)])
    }

    @Test func dueCallbackLiftsTheRestButNotTheWindow() {
        let contact = now - 24 * hour
        // The debtor asked to be called back today at 14:30 Paris time: the rest is lifted.
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [contact], lastRightPartyContact: contact,
                                   callbackDue: now - 30 * 60, now: now).isEmpty)
        // Not yet due: still resting.
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [contact], lastRightPartyContact: contact,
                                   callbackDue: now + hour, now: now) == [.resting(since: contact, until: now + 24 * hour)])
        // A stale callback from before the contact does not lift it.
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [contact], lastRightPartyContact: contact,
                                   callbackDue: contact - hour, now: now) == [.resting(since: contact, until: now + 24 * hour)])
        // A callback agreed for Tuesday 21:00 is due at 21:30 but the window is closed.
        let evening = utc("2027-03-23T20:30:00Z")
        let violations = ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [contact],
                                            lastRightPartyContact: contact, callbackDue: utc("2027-03-23T20:00:00Z"), now: evening)
        #expect(violations == [.outsideWindow(nextOpening: utc("2027-03-24T07:00:00Z"), debtorTimeZone: paris)])
        // The callback does not lift the 7-day cap either.
        let capped = ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [contact, now - 2 * day, now - 3 * day],
                                        lastRightPartyContact: contact, callbackDue: now - 60, now: now)
        #expect(capped.count == 1)
        if case .attemptCap = capped.first {} else { Issue.record("expected the cap, got \(capped)") }
    }

    @Test func windowViolationSaysWhenItOpensInTheDebtorsTime() {
        // Saturday 27 March 2027, 13:30 in Paris: closed until Monday 08:00 (after the change to summer time).
        let saturday = utc("2027-03-27T12:30:00Z")
        let violations = ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [], lastRightPartyContact: nil,
                                            callbackDue: nil, now: saturday)
        #expect(violations == [.outsideWindow(nextOpening: utc("2027-03-29T06:00:00Z"), debtorTimeZone: paris)])
        #expect(violations.first?.message
            == "Outside the calling window in the debtor's time zone (Europe/Paris); it opens next Mon 2027-03-29 08:00 debtor's time.")

        // The agent in Paris, the debtor in New York: Tuesday 07:30 there is 12:30 here.
        let early = utc("2027-03-23T11:30:00Z")
        let ny = ContactRules.check(policy: policy, debtorTimeZone: newYork, attempts: [], lastRightPartyContact: nil,
                                    callbackDue: nil, now: early)
        #expect(ny == [.outsideWindow(nextOpening: utc("2027-03-23T12:00:00Z"), debtorTimeZone: newYork)])
        #expect(ny.first?.message(agentTimeZone: paris)
            == "Outside the calling window in the debtor's time zone (America/New_York); it opens next Tue 2027-03-23 08:00 debtor's time (Tue 2027-03-23 13:00 Europe/Paris).")
        // Same instant, debtor in Paris: open.
        #expect(ContactRules.check(policy: policy, debtorTimeZone: paris, attempts: [], lastRightPartyContact: nil,
                                   callbackDue: nil, now: early).isEmpty)

        // Debtor in Réunion at 17:30 Paris time (20:30 there): closed until Wednesday 08:00 Réunion, 05:00 Paris.
        let afternoon = utc("2027-03-23T16:30:00Z")
        let re = ContactRules.check(policy: policy, debtorTimeZone: reunion, attempts: [], lastRightPartyContact: nil,
                                    callbackDue: nil, now: afternoon)
        #expect(re.first?.message(agentTimeZone: paris)
            == "Outside the calling window in the debtor's time zone (Indian/Reunion); it opens next Wed 2027-03-24 08:00 debtor's time (Wed 2027-03-24 05:00 Europe/Paris).")
    }

    @Test func allViolationsInOrder() {
        let saturday = utc("2027-03-27T12:30:00Z")
        let violations = ContactRules.check(policy: policy, debtorTimeZone: paris,
                                            attempts: [saturday - hour, saturday - day, saturday - 2 * day],
                                            lastRightPartyContact: saturday - hour, callbackDue: nil, now: saturday)
        #expect(violations.count == 3)
        guard violations.count == 3 else { return }
        if case .outsideWindow = violations[0] {} else { Issue.record("window first") }
        if case .attemptCap = violations[1] {} else { Issue.record("cap second") }
        #expect(violations[2] == .resting(since: saturday - hour, until: saturday + 47 * hour))
    }

    @Test func policyIsCodableWithDurationText() throws {
        let decoded = try WireJSON.decode(ContactPolicy.self, from: Data(#"{"window":"mon-fri 09:00-18:00","rest_after_contact":"72h"}"#.utf8))
        #expect(decoded.window.description == "mon-fri 09:00-18:00")
        #expect(decoded.maxAttempts7d == 3)
        #expect(decoded.restAfterContact == 72 * hour)
        let text = String(decoding: try WireJSON.encode(ContactPolicy()), as: UTF8.self)
        #expect(text == #"{"max_attempts7d":3,"rest_after_contact":"2d","window":"mon-fri 08:00-20:00, sat 09:00-13:00"}"#)
        #expect(try WireJSON.decode(ContactPolicy.self, from: Data(text.utf8)) == ContactPolicy())
        #expect(throws: HomeshoreError.self) {
            try WireJSON.decode(ContactPolicy.self, from: Data(#"{"rest_after_contact":"forever"}"#.utf8))
        }
    }
}
