import Foundation
import HomeshoreCore
import Testing

/// Issue 3 end to end, with the real binaries: scripts reach the agent filled in, promises, plans and
/// disputes recorded offline land at the next sync, imported payments settle them (once, however
/// often the file is imported), and a dispute upheld on the hub closes the dossier on the laptop.
///
/// The processes use the real clock: due dates are today or later in the agency's calendar
/// (Europe/Paris) and payments are dated today. Grace periods cannot end here; broken promises are
/// covered in-process (HomeshoreClientTests/FollowUpTests).
@Suite("Collections work, end to end")
struct CollectionsFlowTests {
    @Test("Scripts, offline promise/plan/dispute, payments import and dispute resolution")
    func collectionsFlow() async throws {
        let office = try await Office.open("collections")
        try await office.enrollAgent("alice", name: "Alice Martin")
        try await Collections.importDossiers(office)
        try await office.assign(["D-000001", "D-000002", "D-000003"], to: "alice")
        let scriptsDir = try Collections.writeScripts(office)
        let loaded = try await office.hubOK(["scripts", "load", scriptsDir, "--portfolio", "ACME"])
        #expect(loaded.contains("Loaded 5 script(s) for ACME"), "scripts load said: \(loaded)")
        try await office.clientOK("alice", ["sync"])
        #expect(try await office.listedReferences("alice") == ["D-000001", "D-000002", "D-000003"])

        // The first-contact script, filled in, between the claim and the history.
        let shown = try await office.clientOK("alice", ["show", "D-000001"])
        #expect(!shown.contains("{{"), "a placeholder was left unfilled:\n\(shown)")
        #expect(shown.contains("Situation: first-contact"), "\(shown)")
        #expect(shown.contains("│ Bonjour, je souhaite parler à Jeanne Roux."), "\(shown)")
        #expect(shown.contains("│ Vous restez devoir 480.00 EUR au titre de notre courrier MED-2026-0042 du 2026-10-01."), "\(shown)")
        Collections.expectInOrder(shown, ["Claim:", "Letter:    MED-2026-0042 sent 2026-10-01", "Situation: first-contact",
                                              "│ # Premier contact", "│ Bonjour", "History ("])
        let json = try await Collections.show(office, "D-000001")
        #expect(json.situation == "first-contact")
        #expect(json.script?.contains("courrier MED-2026-0042 du 2026-10-01") == true, "\(json.script ?? "no script")")
        // A dossier without a letter gets a dash, never a raw placeholder.
        let noLetter = try await Collections.show(office, "D-000002")
        #expect(noLetter.script?.contains("Paul Girard") == true)
        #expect(noLetter.script?.contains("courrier — du —") == true, "\(noLetter.script ?? "no script")")
        #expect(noLetter.script?.contains("{{") == false)

        // A promise due today on D3 puts it on the chase list.
        let today = Collections.today()
        try await office.clientOK("alice", ["promise", "D-000003", "20.00", "--due", today])
        try await office.clientOK("alice", ["sync"])
        let chaseBefore = try await Collections.rows(office, ["list", "--follow-up"])
        #expect(chaseBefore.contains { $0["reference"] == "D-000003" && $0["reason"] == "promise-due" }, "\(chaseBefore)")

        // The connection drops; alice goes on working.
        let stopped = try await office.stopHub()
        #expect(stopped.succeeded, "\(stopped)")
        try await office.clientOK("alice", ["call", "D-000001", "--outcome", "promise", "--amount", "100", "--due", Collections.day(2),
                                            "--duration", "3m", "--note", "Virement promis"])
        try await office.clientOK("alice", ["plan", "D-000002", "--instalments", "3", "--amount", "50.00", "--first", Collections.day(5),
                                            "--every", "1m"])
        try await office.clientOK("alice", ["dispute", "D-000003", "--reason", "already-paid", "--note", "Dit avoir payé en octobre"])
        let offline = try await office.client("alice", ["sync"])
        #expect(offline.status == 3 && !offline.killedBySignal, "sync without a hub should exit 3: \(offline)")
        #expect(offline.stderr.contains("3 recorded change(s) stay queued"), "stderr: \(offline.stderr)")
        #expect(try await office.status("alice").queued == 3)

        // Back online: everything lands, and the statuses follow.
        try await office.startHub()
        let online = try await office.clientOK("alice", ["sync"])
        #expect(online.contains("3 sent"), "sync said: \(online)")
        let afterSync = try await office.status("alice")
        #expect(afterSync.queued == 0)
        #expect(afterSync.rejected.isEmpty, "refused: \(afterSync.rejected)")
        let statuses = try await Collections.statuses(office)
        #expect(statuses == ["D-000001": "promised", "D-000002": "plan", "D-000003": "disputed"])
        let disputed = try await Collections.rows(office, ["list", "--status", "disputed"])
        #expect(disputed.map { $0["reference"] } == ["D-000003"], "\(disputed)")
        let chaseDisputed = try await Collections.rows(office, ["list", "--follow-up"])
        #expect(!chaseDisputed.contains { $0["reference"] == "D-000003" }, "a disputed dossier is not chased: \(chaseDisputed)")
        let planned = try await Collections.show(office, "D-000002")
        let plan = try #require(planned.dossier.work?.activePlan)
        #expect(plan.instalments == 3 && plan.amount == 5_000 && plan.first == Collections.day(5) && plan.every == "1m")
        let dues = planned.dossier.work?.promises.filter { $0.planId == plan.id }.map(\.due) ?? []
        #expect(dues.count == 3 && dues.first == Collections.day(5), "\(dues)")

        // The creditor's payments file, imported twice.
        let payments = office.root + "/payments.csv"
        try """
            reference,amount,paid_on,payment_id,currency,portfolio
            D-000001,100.00,\(today),PAY-0001,EUR,ACME
            D-000002,50.00,\(today),PAY-0002,EUR,ACME

            """.write(toFile: payments, atomically: true, encoding: .utf8)
        let first = try await office.hubOK(["import", "payments", payments])
        #expect(first.contains("2 recorded"), "\(first)")
        #expect(first.contains("0 already known"), "\(first)")
        let balancesOnce = try await Collections.hubBalances(office)
        #expect(balancesOnce == ["D-000001": 38_000, "D-000002": 85_000, "D-000003": 25_000])
        let again = try await office.hubOK(["import", "payments", payments])
        #expect(again.contains("0 recorded"), "\(again)")
        #expect(again.contains("2 already known"), "\(again)")
        #expect(try await Collections.hubBalances(office) == balancesOnce, "re-importing the file changed a balance")
        let hubD1 = try await office.hubDossier("D-000001")
        #expect(hubD1.events.filter { $0.kind == "payment" }.count == 1, "one payment event, not two")

        try await office.clientOK("alice", ["sync"])
        let d1 = try await Collections.show(office, "D-000001")
        let promise = try #require(d1.dossier.work?.promises.first { $0.planId == nil })
        #expect(promise.state == .kept, "\(promise)")
        #expect(promise.amount == 10_000 && promise.paid == 10_000 && promise.due == Collections.day(2))
        #expect(d1.dossier.balance == 38_000)
        #expect(d1.dossier.status == "in-progress")
        let d2 = try await Collections.show(office, "D-000002")
        let d2Work = try #require(d2.dossier.work)
        let firstInstalment = try #require(d2Work.promises.first { $0.instalment == 1 })
        #expect(firstInstalment.state == .kept, "\(firstInstalment)")
        #expect(d2Work.promises.filter { $0.instalment != nil && $0.instalment != 1 }.allSatisfy { $0.state == .active })
        #expect(d2Work.plans.last?.state == .onTrack, "\(d2Work.plans)")
        #expect(d2.dossier.status == "plan")
        #expect(d2.situation == "plan-follow-up")
        #expect(d2.script?.contains("Paul Girard") == true)

        // The text view: claim, situation and script, then the plan or promises, then the history.
        let d2Text = try await office.clientOK("alice", ["show", "D-000002"])
        Collections.expectInOrder(d2Text, ["Claim:", "Situation: plan-follow-up", "│ Suivi d'échéancier pour Paul Girard",
                                               "Plan:      3 × 50.00 EUR every 1m from \(Collections.day(5)) — on-track",
                                               "#1  due \(Collections.day(5))  50.00 EUR  paid 50.00 EUR  kept", "Payments:  50.00 EUR on \(today)",
                                               "History ("])
        let d1Text = try await office.clientOK("alice", ["show", "D-000001"])
        Collections.expectInOrder(d1Text, ["Claim:", "Letter:", "Situation: first-contact", "│ Bonjour", "Promises:",
                                               "100.00 EUR due \(Collections.day(2))", "History ("])
        #expect(d1Text.contains("paid 100.00 EUR  kept"), "\(d1Text)")

        // The dispute is upheld: the claim is closed, on the hub and then on the laptop.
        let resolved = try await office.hubOK(["dispute", "resolve", "D-000003", "--outcome", "upheld"])
        #expect(resolved.contains("now closed"), "\(resolved)")
        try await office.clientOK("alice", ["sync"])
        #expect(try await Collections.statuses(office)["D-000003"] == "closed")
        let d3 = try await Collections.show(office, "D-000003")
        #expect(d3.dossier.work?.openDispute == nil)
        #expect(d3.dossier.work?.disputes.last?.state == .upheld)
        #expect(d3.dossier.work?.promises.allSatisfy { $0.state == .cancelled } == true, "\(d3.dossier.work?.promises ?? [])")
        #expect(d3.history.contains { $0.kind == "dispute-resolved" })

        let chaseAfter = try await office.client("alice", ["list", "--follow-up", "--format", "json"])
        #expect(chaseAfter.succeeded, "\(chaseAfter)")
        let chaseRows = try TextFormats.parseJSONObjects(chaseAfter.stdout)
        #expect(!chaseRows.contains { $0["reference"] == "D-000003" }, "\(chaseRows)")
        let table = try await office.clientOK("alice", ["list", "--follow-up"])
        #expect(table.hasPrefix("REFERENCE"), "\(table)")
        #expect(!table.contains("D-000003"), "\(table)")

        #expect(try await office.status("alice").queued == 0)
        try await office.expectConverged("alice")
    }
}

/// Scene-setting and reading helpers for the collections tests.
enum Collections {
    /// The agency's day (Europe/Paris), as the binaries count it.
    static func today() -> String { AgencyCalendar.day(of: Date()) }

    static func day(_ offset: Int) -> String {
        CalendarDate.adding(days: offset, to: today()) ?? today()
    }

    /// D-000001 (with a letter), D-000002 and D-000003 in ACME.
    static func importDossiers(_ office: Office) async throws {
        let file = office.root + "/acme.csv"
        try """
            reference,debtor_name,amount_due,currency,due_date,phone,city,letter_ref,letter_date
            D-000001,Jeanne Roux,480.00,EUR,2026-09-15,06 12 34 56 78,Lyon,MED-2026-0042,2026-10-01
            D-000002,Paul Girard,900.00,EUR,2026-08-01,06 22 33 44 55,Paris,,
            D-000003,Anne Petit,250.00,EUR,2026-07-01,06 99 88 77 66,Lille,,

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let output = try await office.hubOK(["import", "dossiers", file, "--portfolio", "ACME"])
        guard output.contains("3 created") else { throw E2EError("The import said: \(output)") }
    }

    /// A folder with one script per situation, using every placeholder.
    static func writeScripts(_ office: Office, files extra: [String: String] = [:]) throws -> String {
        let folder = office.root + "/scripts-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let scripts = [
            "first-contact.md": """
                # Premier contact
                Bonjour, je souhaite parler à {{debtor_name}}.
                Vous restez devoir {{balance}} au titre de notre courrier {{letter_ref}} du {{letter_date}}.

                """,
            "broken-promise.md": "{{debtor_name}}, vous aviez promis {{last_promise}}. Il reste {{balance}}.\n",
            "plan-follow-up.md": "Suivi d'échéancier pour {{ debtor_name }} : reste {{balance}}.\n",
            "dispute-follow-up.md": "Contestation en cours pour {{debtor_name}} ; ne pas relancer.\n",
            "inbound.md": "Appel entrant de {{debtor_name}}.\n",
        ].merging(extra) { $1 }
        for (name, text) in scripts {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        return folder
    }

    struct Shown: Decodable {
        struct Item: Decodable {
            var time: String
            var kind: String
            var agent: String?
            var pending: Bool
        }
        var dossier: DossierRecord
        var situation: String
        var script: String?
        var history: [Item]
    }

    /// `homeshore show REF --format json`, with the situation and script.
    static func show(_ office: Office, _ reference: String, login: String = "alice") async throws -> Shown {
        try WireJSON.decode(Shown.self, from: Data(try await office.clientOK(login, ["show", reference, "--format", "json"]).utf8))
    }

    /// A client list command's rows, as JSON objects.
    static func rows(_ office: Office, _ arguments: [String], login: String = "alice") async throws -> [[String: String]] {
        try TextFormats.parseJSONObjects(try await office.clientOK(login, arguments + ["--format", "json"]))
    }

    /// Reference → status, as `homeshore list` shows it.
    static func statuses(_ office: Office, login: String = "alice") async throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try await rows(office, ["list"], login: login) {
            if let reference = row["reference"] { result[reference] = row["status"] }
        }
        return result
    }

    /// Reference → balance in cents, as `homeshore-hub dossier show --format json` shows it.
    static func hubBalances(_ office: Office, _ references: [String] = ["D-000001", "D-000002", "D-000003"]) async throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for reference in references { result[reference] = try await office.hubDossier(reference).dossier.balance }
        return result
    }

    /// Each needle occurs in `text`, each after the previous one.
    static func expectInOrder(_ text: String, _ needles: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        var from = text.startIndex
        for needle in needles {
            guard let found = text.range(of: needle, range: from..<text.endIndex) else {
                let anywhere = text.contains(needle) ? "appears, but before the previous item" : "is missing"
                Issue.record("\"\(needle)\" \(anywhere) in:\n\(text)", sourceLocation: sourceLocation)
                return
            }
            from = found.upperBound
        }
    }
}
