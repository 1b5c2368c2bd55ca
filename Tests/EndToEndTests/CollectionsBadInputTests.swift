import Foundation
import HomeshoreCore
import Testing

/// Issue 3, mistakes: bad promises, plans, disputes and list filters are refused on the laptop with
/// the right exit code and queue nothing; a bad payments file or scripts folder changes nothing on the hub.
@Suite("Collections work, bad input")
struct CollectionsBadInputTests {
    @Test("Bad promises, plans, disputes and filters exit 1 or 2 and queue nothing")
    func badCollectionCommands() async throws {
        let office = try await Office.open("collections-bad")
        try await office.enrollAgent("alice", name: "Alice Martin")
        try await Collections.importDossiers(office)
        try await office.assign(["D-000001", "D-000002", "D-000003"], to: "alice")
        try await office.clientOK("alice", ["sync"])
        let queuedBefore = try await office.status("alice").queued
        #expect(queuedBefore == 0)
        let historyBefore = try await Collections.show(office, "D-000001").history.count
        let future = Collections.day(3)

        // Usage mistakes: exit 2.
        let noAmount = try await office.client("alice", ["call", "D-000001", "--outcome", "promise"])
        #expect(noAmount.status == 2 && !noAmount.killedBySignal, "\(noAmount)")
        #expect(noAmount.stderr.contains("--amount"), "stderr: \(noAmount.stderr)")
        let badStatus = try await office.client("alice", ["list", "--status", "nonsense"])
        #expect(badStatus.status == 2 && !badStatus.killedBySignal, "\(badStatus)")
        #expect(badStatus.stderr.contains("disputed"), "the error should list the statuses: \(badStatus.stderr)")

        // Errors: exit 1, one sentence naming what is wrong.
        let refusals: [(arguments: [String], says: String)] = [
            (["promise", "D-000001", "0", "--due", future], "more than zero"),
            (["promise", "D-000001", "10", "--due", "2020-01-01"], "in the past"),
            (["promise", "D-000003", "250.01", "--due", future], "more than the balance"),
            (["call", "D-000001", "--outcome", "promise", "--amount", "10", "--due", "2020-01-01"], "in the past"),
            (["plan", "D-000002", "--instalments", "61", "--amount", "1.00", "--first", future], "61"),
            (["plan", "D-000002", "--instalments", "3", "--amount", "300.01", "--first", future], "more than the balance"),
            (["plan", "D-000002", "--instalments", "3", "--amount", "10", "--first", future, "--every", "3d"], "3d"),
            (["dispute", "D-000001", "--reason", "bored"], "\"bored\""),
        ]
        for refusal in refusals {
            let result = try await office.client("alice", refusal.arguments)
            let command = refusal.arguments.joined(separator: " ")
            #expect(result.status == 1 && !result.killedBySignal, "`\(command)`: \(result)")
            #expect(result.stderr.contains(refusal.says), "`\(command)` should say \"\(refusal.says)\": \(result.stderr)")
            #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1,
                    "`\(command)`: one sentence on stderr: \(result.stderr)")
            #expect(!result.stdout.contains("recorded") && !result.stdout.contains("opened"), "`\(command)` stdout: \(result.stdout)")
        }
        let dispute = try await office.client("alice", ["dispute", "D-000001", "--reason", "bored"])
        #expect(dispute.stderr.contains("already-paid"), "the error should list the reasons: \(dispute.stderr)")

        // Nothing was queued, nothing shows in the history, nothing reaches the hub.
        #expect(try await office.status("alice").queued == queuedBefore)
        #expect(try office.withReplica("alice") { try $0.queuedCount().count } == 0)
        #expect(try await Collections.show(office, "D-000001").history.count == historyBefore)
        let synced = try await office.clientOK("alice", ["sync"])
        #expect(synced.contains("0 sent"), "\(synced)")
        #expect(try await Collections.statuses(office) == ["D-000001": "new", "D-000002": "new", "D-000003": "new"])
    }

    @Test("A payments file with an unknown reference and a currency mismatch imports nothing")
    func badPaymentsFile() async throws {
        let office = try await Office.open("payments-bad", serve: false)
        try await Collections.importDossiers(office)
        let before = try await Collections.hubBalances(office)
        #expect(before == ["D-000001": 48_000, "D-000002": 90_000, "D-000003": 25_000])
        let today = Collections.today()
        let file = office.root + "/payments-bad.csv"
        try """
            reference,amount,paid_on,payment_id,currency
            D-000001,10.00,\(today),PAY-1,EUR
            D-999999,10.00,\(today),PAY-2,EUR
            D-000002,10.00,\(today),PAY-3,USD
            D-000003,25.00,\(today),PAY-4,EUR

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await office.hubCLI(["import", "payments", file])
        #expect(result.status == 1 && !result.killedBySignal, "\(result)")
        #expect(result.stderr.contains("nothing was imported"), "stderr: \(result.stderr)")
        let badLines = Set(result.stderr.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).compactMap { line -> Int? in
            guard line.hasPrefix("line ") else { return nil }
            return Int(line.dropFirst(5).prefix { $0.isNumber })
        })
        #expect(badLines == [3, 4], "stderr: \(result.stderr)")
        #expect(result.stderr.contains("D-999999"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("USD") && result.stderr.contains("EUR"), "stderr: \(result.stderr)")
        #expect(!result.stdout.contains("recorded"), "stdout: \(result.stdout)")

        #expect(try await Collections.hubBalances(office) == before, "a balance changed")
        for reference in ["D-000001", "D-000002", "D-000003"] {
            let dossier = try await office.hubDossier(reference)
            #expect(dossier.events.allSatisfy { $0.kind != "payment" }, "\(reference) got a payment event")
            #expect(dossier.dossier.work?.payments.isEmpty ?? true, "\(reference) got a payment")
            #expect(dossier.dossier.status == "new")
        }
        // The same file fixed imports; the good lines were never half-imported before.
        try """
            reference,amount,paid_on,payment_id,currency
            D-000001,10.00,\(today),PAY-1,EUR
            D-000003,25.00,\(today),PAY-4,EUR

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let fixed = try await office.hubOK(["import", "payments", file])
        #expect(fixed.contains("2 recorded") && fixed.contains("0 already known"), "\(fixed)")
        #expect(try await Collections.hubBalances(office) == ["D-000001": 47_000, "D-000002": 90_000, "D-000003": 22_500])
    }

    @Test("A scripts folder with a file that names no situation loads nothing")
    func badScriptsFolder() async throws {
        let office = try await Office.open("scripts-bad")
        try await office.enrollAgent("alice", name: "Alice Martin")
        try await Collections.importDossiers(office)
        try await office.assign(["D-000001"], to: "alice")
        let folder = try Collections.writeScripts(office, files: ["goodbye.md": "Au revoir {{debtor_name}}.\n"])

        let result = try await office.hubCLI(["scripts", "load", folder, "--portfolio", "ACME"])
        #expect(result.status == 1 && !result.killedBySignal, "\(result)")
        #expect(result.stderr.contains("goodbye.md"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("first-contact"), "the error should name the situations: \(result.stderr)")
        #expect(!result.stdout.contains("Loaded"), "stdout: \(result.stdout)")
        #expect(try await office.store().portfolio("ACME")?.scripts.isEmpty == true, "a script was stored")

        // The agent gets no script: the good files were not loaded either.
        try await office.clientOK("alice", ["sync"])
        let shown = try await Collections.show(office, "D-000001")
        #expect(shown.script == nil, "\(shown.script ?? "")")
        let text = try await office.clientOK("alice", ["show", "D-000001"])
        #expect(!text.contains("│"), "\(text)")
    }
}
