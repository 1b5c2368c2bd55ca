import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// The hand-written pull answer is the JSON WireJSON's encoder writes for the same `SyncResponse`:
/// the same members with the same values, so every client decodes it as before.
@Suite struct SyncResponseJSONTests {
    func event(_ id: String, dossier: String, seq: Int64, payload: OpPayload, agent: String? = "alice", flag: String? = nil) throws -> PulledEvent {
        PulledEvent(id: id, dossierId: dossier, seq: seq, kind: "call", agent: agent, device: agent == nil ? nil : "dev-1",
                    clientTime: agent == nil ? nil : "2026-03-02T09:15:00.000Z", hubTime: "2026-03-02T09:16:00.123Z",
                    payload: String(decoding: try WireJSON.encode(payload), as: UTF8.self), flag: flag)
    }

    var full: DossierRecord {
        DossierRecord(
            id: "d-1", portfolio: "ACME/énergie", reference: "D-000001", debtorName: "Zoë \"la\" Dupont\\Martin", debtorType: "person",
            amountDue: 123_456, balance: 100_000, currency: "EUR", dueDate: "2026-01-31", phone: "+33 6 12 34 56 78", phone2: "01 02",
            email: "zoe@example.fr", address: "12 rue de la Paix\nBât. B\t2e", postcode: "75002", city: "Paris", country: "France",
            timezone: "Europe/Paris", language: "fr", customerSince: "2019-05-01", priorIncidents: 2, vip: true,
            invoiceRefs: "FAC-1, FAC-2", letterRef: "MED-9", letterDate: "2026-02-01", notes: "ctrl \u{1} and / slash and 🙂",
            status: "promised", nextCallback: "2026-03-05T14:00:00.000Z", assignedTo: "alice", placedAt: "2026-02-01T08:00:00.000Z",
            fieldClocks: ["phone": "000001770000000-000001-node", "email": "000001770000001-000000-node"],
            work: DossierWork(
                promises: [PromiseRecord(id: "p-1", amount: 5000, paid: 1000, due: "2026-03-10", graceDays: 3, state: .partlyKept,
                                         planId: "plan-1", instalment: 1, agent: "alice", createdAt: "2026-03-01T10:00:00.000Z",
                                         settledAt: "2026-03-14T00:00:00.000Z")],
                plans: [PlanRecord(id: "plan-1", instalments: 3, amount: 5000, first: "2026-03-10", every: "1m", state: .late,
                                   missedLimit: 2, agent: "alice", createdAt: "2026-03-01T10:00:00.000Z")],
                disputes: [DisputeRecord(id: "x-1", reason: .amount, note: nil, state: .rejected, agent: nil,
                                         openedAt: "2026-02-10T10:00:00.000Z", resolvedAt: "2026-02-11T10:00:00.000Z", adjustedAmount: nil)],
                payments: [PaymentRecord(id: "pay-1", amount: 1000, paidOn: "2026-03-12", importedAt: "2026-03-13T07:00:00.000Z")]),
            closedAt: nil, segment: "vip")
    }

    var bare: DossierRecord {
        DossierRecord(id: "d-2", portfolio: "P", reference: "D-000002", debtorName: "SARL Exemple", debtorType: "company",
                      amountDue: 1, balance: 0, currency: "EUR", dueDate: "2026-01-31", timezone: "Europe/Paris", language: "en",
                      status: "paid", placedAt: "2026-02-01T08:00:00.000Z", work: DossierWork(), closedAt: "2026-03-01T08:00:00.000Z")
    }

    @Test func aPullPageIsTheJSONTheEncoderWrites() throws {
        let page = PullPage(
            removals: ["gone-1", "gone-2"],
            upserts: [
                PulledDossier(dossier: full, events: [
                    try event("e-1", dossier: "d-1", seq: 41, payload: OpPayload(outcome: "promise", durationSeconds: 90, text: "Il paiera \"vendredi\"\n", amount: 5000, due: "2026-03-10", wrapUpSeconds: 30)),
                    try event("e-2", dossier: "d-1", seq: 42, payload: OpPayload(text: "pool → alice"), agent: nil, flag: "reassigned"),
                ], whole: true),
                PulledDossier(dossier: bare, events: [], whole: false),
                PulledDossier(dossier: { var d = bare; d.work = nil; d.id = "d-3"; return d }(), events: [], whole: false),
            ],
            portfolios: [PortfolioRecord(name: "P", graceDays: 3, planMissedLimit: 2, scripts: ["first-contact": "Bonjour {{debtor_name}}"],
                                         contact: ContactPolicy())],
            cursor: 4_611_686_018_427_388_000, more: true)
        let results = [OpResult(id: "op-1", status: .applied), OpResult(id: "op-2", status: .rejected, code: "not_in_scope", reason: "Pas à vous.")]
        let written = try SyncResponseJSON.encode(results: results, page: page, wipe: false, agent: "alice", hubTime: "2026-03-02T09:16:00.123Z")
        let expected = SyncResponse(results: results, removals: page.removals, upserts: try page.upserts.map { try $0.change },
                                    cursor: page.cursor, more: true, wipe: false, agent: "alice", hubTime: "2026-03-02T09:16:00.123Z",
                                    portfolios: page.portfolios)
        let encoded = try WireJSON.encode(expected)
        // The same tree of members and values, and the same bytes (both sort their keys).
        let tree = try JSONSerialization.jsonObject(with: Data(written)) as? NSDictionary
        #expect(tree == (try JSONSerialization.jsonObject(with: encoded) as? NSDictionary))
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: encoded, as: UTF8.self))
        #expect(try WireJSON.decode(SyncResponse.self, from: Data(written)) == expected)
    }

    @Test func anEmptyPageIsTheJSONTheEncoderWrites() throws {
        let page = PullPage(removals: [], upserts: [], portfolios: [], cursor: 12, more: false)
        let written = try SyncResponseJSON.encode(results: [], page: page, wipe: false, agent: "bob", hubTime: "2026-03-02T09:16:00.123Z")
        let expected = SyncResponse(results: [], removals: [], upserts: [], cursor: 12, more: false, wipe: false, agent: "bob",
                                    hubTime: "2026-03-02T09:16:00.123Z")
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: try WireJSON.encode(expected), as: UTF8.self))
    }
}
