import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Testing

@Suite struct ComplianceTests {
    @Test func callsBreakingTheRulesAreKeptAndReported() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 2)
        _ = try await hub.store.setPolicy(portfolio: "P", PolicyChange(window: try CallingWindow(parsing: "mon-fri 09:00-18:00"), maxAttempts7d: 2), now: hub.clock)
        let token = try await hub.deviceHolding(["D-000001", "D-000002"], for: "alice")
        let auth = try #require(try await hub.store.authenticate(tokenHash: Secrets.hash(token)))
        let d1 = try await hub.dossierId("D-000001")
        let d2 = try await hub.dossierId("D-000002")
        var ops = OpFactory()
        // Sample debtors live in several zones; the checks use each debtor's own.
        let zone1 = TimeZone(identifier: try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).dossier.timezone)!
        func at(_ local: String, _ zone: TimeZone) throws -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = zone
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            return Timestamp.string(from: try #require(formatter.date(from: local)))
        }
        let calls = [
            ops.make("call", dossier: d1, payload: OpPayload(outcome: "no-answer", at: try at("2026-11-23 10:00", zone1))),  // Monday, open
            ops.make("call", dossier: d1, payload: OpPayload(outcome: "busy", at: try at("2026-11-24 10:00", zone1))),       // Tuesday, open
            ops.make("call", dossier: d1, payload: OpPayload(outcome: "busy", at: try at("2026-11-25 10:00", zone1))),       // third in 7 days
            ops.make("call", dossier: d2, payload: OpPayload(outcome: "voicemail", at: "2026-11-29T12:00:00Z")),            // Sunday everywhere
        ]
        let results = try await hub.store.push(calls, from: auth, queued: 0, oldestQueuedAt: nil, now: hub.clock)
        #expect(results.allSatisfy { $0.status == .applied })
        let report = try await hub.store.compliance(from: nil, to: nil)
        #expect(report.map(\.reference) == ["D-000001", "D-000002"])
        #expect(report.first?.breaches.contains("2") == true)
        #expect(report.allSatisfy { $0.agent == "alice" })
        #expect(try await hub.store.compliance(from: "2026-11-29T00:00:00.000Z", to: nil).map(\.reference) == ["D-000002"])
    }
}
