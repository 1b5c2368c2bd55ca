import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// The creditor's printable timeline (`homeshore-hub report timeline`): a standalone, escaped HTML
/// document with the dossier's header and every event, each with its agent and agency time.
@Suite struct TimelineDocumentTests {
    static let debtor = "<script>alert('x')</script> Lefèvre & Fils"

    /// One event of every kind the hub records, each at its own minute (UTC; agency time is +1 in January).
    static let events: [(kind: String, agent: String?, time: String, payload: OpPayload, label: String, detail: String)] = [
        ("assignment", nil, "2027-01-04T08:00:00.000Z", OpPayload(text: "pool → alice"), "Assignment", "pool → alice"),
        ("call", "alice", "2027-01-04T09:01:00.000Z", OpPayload(outcome: "right-party", durationSeconds: 150, text: "Rappeler <après> 18h"),
         "Call", "outcome right-party · 2:30 · Rappeler &lt;après&gt; 18h"),
        ("note", "alice", "2027-01-04T09:02:00.000Z", OpPayload(text: "<img src=x onerror=alert(1)> coopératif"), "Note",
         "&lt;img src=x onerror=alert(1)&gt; coopératif"),
        ("contact", "alice", "2027-01-04T09:03:00.000Z", OpPayload(phone: "+33 6 01 02 03 04"), "Contact details", "phone +33 6 01 02 03 04"),
        ("callback", "alice", "2027-01-04T09:04:00.000Z", OpPayload(at: "2027-01-05T17:30:00.000Z"), "Callback scheduled",
         "call back at 2027-01-05 18:30"),
        ("promise", "alice", "2027-01-04T09:05:00.000Z", OpPayload(amount: 20_000, due: "2027-01-15"), "Promise to pay", "200.00 EUR due 2027-01-15"),
        ("plan", "bruno", "2027-01-04T09:06:00.000Z", OpPayload(amount: 5_000, due: "2027-02-01", instalments: 3, every: "1m"), "Instalment plan",
         "3 instalments of 50.00 EUR every 1m from 2027-02-01"),
        ("dispute", "bruno", "2027-01-04T09:07:00.000Z", OpPayload(text: "Colis jamais reçu", reason: "not-received"), "Dispute opened",
         "reason not-received · Colis jamais reçu"),
        ("dispute-resolved", nil, "2027-01-04T09:08:00.000Z", OpPayload(text: "dispute rejected", reason: "rejected"), "Dispute resolved",
         "dispute rejected"),
        ("promise-cancelled", "alice", "2027-01-04T09:09:00.000Z", OpPayload(text: "promise due 2027-01-15: cancelled"), "Promise cancelled",
         "promise due 2027-01-15: cancelled"),
        ("promise-kept", "bruno", "2027-02-02T09:10:00.000Z", OpPayload(text: "instalment 1 due 2027-02-01: kept", amount: 5_000),
         "Promise kept", "instalment 1 due 2027-02-01: kept"),
        ("promise-partly-kept", "bruno", "2027-03-02T09:11:00.000Z", OpPayload(text: "instalment 2 due 2027-03-01: partly-kept"),
         "Promise partly kept", "instalment 2 due 2027-03-01: partly-kept"),
        ("promise-broken", "bruno", "2027-04-02T09:12:00.000Z", OpPayload(text: "instalment 3 due 2027-04-01: broken"), "Promise broken",
         "instalment 3 due 2027-04-01: broken"),
        ("plan-broken", "bruno", "2027-04-02T09:13:00.000Z", OpPayload(text: "plan of 3 instalments: broken"), "Plan broken",
         "plan of 3 instalments: broken"),
    ]

    static func change() -> DossierChange {
        let dossier = DossierRecord(id: "d1", portfolio: "CRÉANCIER", reference: "R/7 \"bis\"", debtorName: debtor, debtorType: "person",
                                    amountDue: 123_456, balance: 103_456, currency: "EUR", dueDate: "2026-10-01", timezone: "Europe/Paris",
                                    language: "fr", invoiceRefs: "F-1, F-2", letterRef: "LR-2026-0042", letterDate: "2026-11-15",
                                    status: "promised", assignedTo: "alice", placedAt: "2027-01-03T10:00:00.000Z")
        var records = events.enumerated().map { index, event in
            EventRecord(id: "e\(index)", dossierId: "d1", seq: Int64(index + 1), kind: event.kind, agent: event.agent, device: nil,
                        clientTime: event.agent == nil ? nil : event.time, hubTime: event.time, payload: event.payload)
        }
        // A payment is known by the day the debtor paid; the hub imports it later.
        records.append(EventRecord(id: "pay", dossierId: "d1", seq: 99, kind: "payment", agent: nil, device: nil, clientTime: nil,
                                   hubTime: "2027-02-03T08:00:00.000Z", payload: OpPayload(text: "BNK-881", amount: 20_000, due: "2027-02-01")))
        // Stored out of order: the document sorts by when things happened.
        return DossierChange(dossier: dossier, events: records.reversed(), whole: true)
    }

    /// The table rows of the document, in order.
    static func rows(_ html: String) -> [String] {
        guard let body = html.components(separatedBy: "<tbody>").dropFirst().first?.components(separatedBy: "</tbody>").first else { return [] }
        return body.components(separatedBy: "<tr").dropFirst().map { "<tr" + $0 }
    }

    @Test func isAStandaloneEscapedPrintableDocument() {
        let html = DossierTimelineDocument.html(for: Self.change(), now: Timestamp.parse("2027-04-10T12:00:00Z")!)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(html.hasSuffix("</html>\n"))
        // Nothing to follow, run or fetch: it is read on paper or in a mail, far from the hub.
        #expect(!html.contains("<a "), "no link")
        #expect(!html.contains("href"))
        #expect(!html.lowercased().contains("<script"), "no script, and the debtor's name is text")
        #expect(!html.contains("<img"), "the note is text")
        #expect(!html.contains("src=\"") && !html.contains("url(") && !html.contains("<link"), "nothing fetched")
        #expect(!html.contains("http"))
        #expect(!html.contains("<form") && !html.contains("<nav") && !html.contains("Log out"), "no dashboard around it")
        #expect(!html.contains("{{") && !html.contains("NaN"))
        #expect(html.contains("<style>") && html.contains("@media print") && html.contains("@page"))
        #expect(html.contains("thead { display: table-header-group; }"), "the header row repeats on every printed page")

        // The header: who, what, how much, since when, which letter.
        let name = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Lefèvre &amp; Fils"
        #expect(html.contains("<title>CRÉANCIER R/7 &quot;bis&quot; — \(name)</title>"))
        #expect(html.contains("<h1>CRÉANCIER / R/7 &quot;bis&quot; — \(name)</h1>"))
        for (term, detail) in [("Creditor portfolio", "CRÉANCIER"), ("Reference", "R/7 &quot;bis&quot;"), ("Debtor", name), ("Status", "promised"),
                               ("Amount due", "1234.56 EUR"), ("Balance", "1034.56 EUR"), ("Due date", "2026-10-01"),
                               ("Placed", "2027-01-03 11:00"), ("Formal letter", "LR-2026-0042 of 2026-11-15"), ("Invoices", "F-1, F-2")] {
            #expect(html.contains("<dt>\(term)</dt><dd") && html.contains(">\(detail)</dd>"), "\(term): \(detail)")
        }
        #expect(!html.contains("Assigned to"), "the creditor sees each event's agent, not the desk's current holder")
        #expect(html.contains("amounts in EUR; times in agency time (Europe/Paris)."))
        #expect(html.contains("Printed 2027-04-10 14:00 (Europe/Paris)"))
    }

    @Test func everyEventAppearsOnceInOrderWithItsAgentAndAgencyTime() throws {
        let html = DossierTimelineDocument.html(for: Self.change(), now: Date())
        let rows = Self.rows(html)
        #expect(rows.count == Self.events.count + 1)
        #expect(html.contains("<h2>Timeline (\(Self.events.count + 1) events)</h2>"))
        var previous = -1
        for event in Self.events {
            let when = AgencyTime.display(event.time)
            let matching = rows.indices.filter { rows[$0].contains(">\(when)</td>") }
            try #require(matching.count == 1, "\(event.kind) at \(when)")
            let row = rows[matching[0]]
            #expect(row.contains("<td>\(event.label)</td>"), "\(event.kind): \(row)")
            #expect(row.contains("<td>\(event.agent ?? "hub")</td>"), "\(event.kind) names who did it")
            #expect(row.contains("<td>\(event.detail)</td>"), "\(event.kind): \(row)")
            #expect(matching[0] > previous, "\(event.kind) comes after the one before")
            previous = matching[0]
        }
        // The payment by its day, before what it settled on a later day.
        let payment = try #require(rows.firstIndex { $0.contains("<td>Payment</td>") })
        #expect(rows[payment].contains(">2027-02-01</td>") && rows[payment].contains("<td>hub</td>"))
        #expect(rows[payment].contains("<td>200.00 EUR · payment BNK-881</td>"))
        let kept = try #require(rows.firstIndex { $0.contains("<td>Promise kept</td>") })
        #expect(payment < kept)
        // In agency time: 09:01 UTC is 10:01 in Paris in January.
        #expect(html.contains(">2027-01-04 10:01</td>"))
    }

    @Test func theDocumentHoldsTheDashboardsOwnTimelineOfARealDossier() async throws {
        let hub = try await DashboardHub.make()
        try await hub.recordActivity()
        let change = try await hub.store.dossier(DossierKey(portfolio: "P", reference: "A-1"))
        #expect(change.events.count >= 6)
        let html = DossierTimelineDocument.html(for: change, now: hub.clock)
        let table = try #require(DashboardTemplates.library.render(DossierTimelineHTML.table(change), withTemplate: "table"))
        #expect(html.contains(table), "the very rows of the dossier page")
        #expect(Self.rows(html).count == change.events.count)
        for text in ["Promise kept", "Payment", "outcome right-party", "promised 200.00 EUR by 2027-01-15", "Débiteur coopératif", ">alice<"] {
            #expect(html.contains(text), "\(text)")
        }
    }

    @Test func fileNamesAreSafeAndNeverCollide() {
        let cases = ["A-1": "A-1.html", "D-000042": "D-000042.html", "A/1": "A_1.html", "../etc/passwd": "_.._etc_passwd.html",
                     ".hidden": "_.hidden.html", "Réf 2": "R_f_2.html", "": "_.html", "a\\b:c*d?": "a_b_c_d_.html"]
        for (reference, name) in cases {
            #expect(DossierTimelineExport.fileName(for: reference) == name, "\(reference)")
        }
        let long = DossierTimelineExport.fileName(for: String(repeating: "x", count: 500))
        #expect(long.count == 120 + ".html".count)

        var names = DossierTimelineExport.FileNames()
        #expect(["A/1", "A_1", "a_1", "A_1-2", "B"].map { names.claim(for: $0) } == ["A_1.html", "A_1-2.html", "a_1-3.html", "A_1-2-2.html", "B.html"])
    }

    @Test func writeAllWritesOneFilePerDossierOfThePortfolio() async throws {
        let hub = try await DashboardHub.make(debtor: "Zoë <Ménard>")
        try await hub.recordActivity()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timelines-\(UUID().uuidString)/nested").path
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let progress = Progress()
        let names = try await DossierTimelineExport(store: hub.store).writeAll(portfolio: "P", to: folder, now: hub.clock) { done, total in
            progress.seen.append("\(done)/\(total)")
        }
        #expect(names == ["A-1.html", "A-2.html", "A-3.html"])
        #expect(progress.seen == ["1/3", "2/3", "3/3"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == names)
        let first = try String(contentsOfFile: folder + "/A-1.html", encoding: .utf8)
        #expect(first.contains("Zoë &lt;Ménard&gt;") && first.contains("Promise kept"))
        #expect(try String(contentsOfFile: folder + "/A-3.html", encoding: .utf8).contains("Dispute opened"))

        let unknown = await #expect(throws: HomeshoreError.self) {
            try await DossierTimelineExport(store: hub.store).writeAll(portfolio: "NOPE", to: folder, now: hub.clock)
        }
        #expect(unknown?.code == "unknown_portfolio")
    }

    /// Collects what a callback saw (it runs on the caller's task, one call at a time).
    final class Progress: @unchecked Sendable {
        var seen: [String] = []
    }
}
