import Foundation
import HomeshoreCore
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [("123.45", 12345), ("123", 12300), ("0.5", 50), ("1234,50", 123450), (" 7.01 ", 701)] as [(String, Int64)])
    func parsesDecimalTextExactly(text: String, minor: Int64) {
        #expect(Money.parse(text) == minor)
    }

    @Test(arguments: ["-5", "1e3", "1,234.50", "12.345", "", ".5", "5.", "abc", "99999999999999999999"])
    func refusesAnythingElse(text: String) {
        #expect(Money.parse(text) == nil)
    }

    @Test func currencyExponentsAreRespected() {
        #expect(Money.parse("1500", currency: "JPY") == 1500)
        #expect(Money.parse("1500.5", currency: "JPY") == nil)
        #expect(Money.parse("1.234", currency: "KWD") == 1234)
        #expect(Money.format(123450, currency: "EUR") == "1234.50")
        #expect(Money.format(5, currency: "EUR") == "0.05")
        #expect(Money.format(1500, currency: "JPY") == "1500")
    }
}

@Suite struct TimeTests {
    @Test func impossibleCalendarDatesAndTimesAreRefused() {
        #expect(CalendarDate.isValid("2024-02-29"))
        #expect(!CalendarDate.isValid("2025-02-29"))
        #expect(!CalendarDate.isValid("2026-04-31"))
        #expect(!CalendarDate.isValid("2026-4-1"))
        #expect(Timestamp.parse("2026-02-30T10:00:00Z") == nil)
        #expect(Timestamp.parse("2026-03-01T24:00:00Z") == nil)
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test func timestampsAreCanonicalUTC() throws {
        #expect(Timestamp.canonical("2026-03-29T03:30:00+02:00") == "2026-03-29T01:30:00.000Z")
        #expect(Timestamp.canonical("2026-03-29T01:30:00.25Z") == "2026-03-29T01:30:00.250Z")
        let date = try #require(Timestamp.parse("2026-11-30T06:00:00.123Z"))
        #expect(Timestamp.string(from: date) == "2026-11-30T06:00:00.123Z")
        // The canonical form's fast path reads the same instants as the ISO 8601 parser.
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for text in ["2026-11-30T06:00:00.123Z", "2000-02-29T23:59:59.999Z", "2099-12-31T00:00:00.000Z", "1999-01-01T00:00:00.007Z"] {
            #expect(Timestamp.parse(text) == iso.date(from: text), "\(text)")
        }
        #expect(Timestamp.parse("2026-11-30T06:00:00Z") == Timestamp.parse("2026-11-30T06:00:00.000Z"))
        #expect(Timestamp.parse("2026-11-30T06:00:00.12xZ") == nil)
    }
}

@Suite struct HybridLogicalClockTests {
    @Test func stampsNeverGoBackwardsEvenWhenTheWallClockDoes() {
        var clock = HybridLogicalClock(node: "a")
        let t0 = clock.tick(now: Date(timeIntervalSince1970: 1_000))
        let t1 = clock.tick(now: Date(timeIntervalSince1970: 900))
        let t2 = clock.tick(now: Date(timeIntervalSince1970: 900))
        #expect(t0 < t1 && t1 < t2)
        #expect(HLCStamp(t2.description) == t2)
        #expect(t1.description < t2.description)
    }

    @Test func observingARemoteStampOrdersLaterLocalStampsAfterIt() {
        var laptop = HybridLogicalClock(node: "laptop")
        var desktop = HybridLogicalClock(node: "desktop")
        let remote = desktop.tick(now: Date(timeIntervalSince1970: 5_000))
        laptop.observe(remote)
        let local = laptop.tick(now: Date(timeIntervalSince1970: 1_000))
        #expect(local > remote)
    }

    @Test func malformedStampsAreRefused() {
        #expect(HLCStamp("nonsense") == nil)
        #expect(HLCStamp("000000000000001-000001-") == nil)
    }
}

@Suite struct OpValidationTests {
    func op(_ kind: String, _ payload: OpPayload) -> SyncOp {
        SyncOp(id: "6f1c1d2a-7d3e-4a7b-9c1e-2b3a4c5d6e7f", deviceSeq: 1, kind: kind, dossierId: "d",
               recordedAt: "2026-11-30T10:00:00.000Z", hlc: "000001790000000-000000-dev", payload: payload)
    }

    @Test func everyKindChecksItsFields() {
        #expect(throws: Never.self) { try OpValidation.validate(op("call", OpPayload(outcome: "right-party", durationSeconds: 150))) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("call", OpPayload())) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("call", OpPayload(outcome: "right-party", durationSeconds: -1))) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("call", OpPayload(outcome: "right-party", durationSeconds: 99_999))) }
        #expect(throws: Never.self) { try OpValidation.validate(op("call", OpPayload(outcome: "busy", durationSeconds: 0, wrapUpSeconds: 45))) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("call", OpPayload(outcome: "busy", wrapUpSeconds: -5))) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("call", OpPayload(outcome: "busy", wrapUpSeconds: 7_200))) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("note", OpPayload(text: ""))) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("contact", OpPayload())) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("contact", OpPayload(email: "a@b"))) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("callback", OpPayload(at: "1850-01-01T00:00:00Z"))) }
        #expect(throws: HomeshoreError.self) { try OpValidation.validate(op("dance", OpPayload())) }
    }

    @Test func outcomeFlagsFollowTheDesign() {
        #expect(!OutcomeCode.noAnswer.isContact)
        #expect(OutcomeCode.thirdParty.isContact && !OutcomeCode.thirdParty.isRightParty)
        #expect(OutcomeCode.promise.isRightParty && OutcomeCode.promise.isPromise)
        #expect(OutcomeCode.allCases.count == 11)
    }
}
