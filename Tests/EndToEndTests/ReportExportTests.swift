import Foundation
import HomeshoreCore
import Testing

/// The creditor's export as a spreadsheet program reads it: a UTF-8 byte order mark, RFC 4180
/// quoting, accents intact. The file is read back by Python's csv module, a reader that is not ours.
@Test func creditorExportReadsBackInAnotherCSVReader() async throws {
    let office = try await Office.open("report-export", serve: false)
    let names = ["Zoë Ménard", "Lefèvre, \"Jo\" & Cie", "Łukasz Żółć; Ørsted", "=HYPERLINK(\"http://x.example\",\"pay here\")"]
    var csv = "reference,debtor_name,amount_due,currency,due_date\n"
    for (index, name) in names.enumerated() {
        csv += "R-\(index + 1),\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\",1\(index)0.50,EUR,2026-10-0\(index + 1)\n"
    }
    let file = office.root + "/accents.csv"
    try csv.write(toFile: file, atomically: true, encoding: .utf8)
    _ = try await office.hubOK(["import", "dossiers", file, "--portfolio", "CREANCIER"])

    // The bytes exactly as the command wrote them (reading them into a String would drop the BOM).
    let exported = office.root + "/export.csv"
    let export = try await runCommand("/bin/sh", ["-c", "\"$0\" report dossiers --portfolio CREANCIER --format csv --data \"$1\" > \"$2\"",
                                                  E2E.hubBinary, office.data, exported], logDir: office.logs)
    try #require(export.succeeded, "\(export)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: exported))
    #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "a BOM tells spreadsheets the file is UTF-8")
    let script = """
        import csv, json, sys
        with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
            print(json.dumps(list(csv.DictReader(f))))
        """
    let parsed = try await runCommand("/usr/bin/env", ["python3", "-c", script, exported], logDir: office.logs)
    try #require(parsed.succeeded, "python3 could not read the export: \(parsed)")
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String: String]])
    // A name a spreadsheet would run as a formula is shown as text.
    #expect(rows.map { $0["debtor_name"] } == names.map { $0.hasPrefix("=") ? "'" + $0 : $0 })
    #expect(rows.map { $0["reference"] } == ["R-1", "R-2", "R-3", "R-4"])
    #expect(rows.map { $0["balance"] } == ["100.50", "110.50", "120.50", "130.50"])
    #expect(rows.allSatisfy { $0["status"] == "new" && $0["currency"] == "EUR" })

    let missing = try await office.hubCLI(["report", "dossiers", "--format", "csv"])
    #expect(missing.status == 2 && missing.stderr.contains("--portfolio"), "\(missing)")
    let badDay = try await office.hubCLI(["report", "agents", "--from", "2026-02-30"])
    #expect(badDay.status == 2 && badDay.stderr.contains("2026-02-30"), "\(badDay)")
    let unknown = try await office.hubCLI(["report", "dossiers", "--portfolio", "NOPE"])
    #expect(unknown.status == 1 && unknown.stderr.contains("NOPE"), "\(unknown)")
}

/// Every report runs from the command line in every format on a hub with generated weeks of work.
@Test func everyReportPrintsInEveryFormat() async throws {
    let office = try await Office.open("reports", serve: false)
    let simulated = try await office.hubOK(["sample-activity", "--agents", "3", "--days", "6", "--dossiers", "30"])
    #expect(simulated.contains("ops merged"), "\(simulated)")
    for report in ["agents", "portfolios", "promises", "disputes", "sync", "compliance"] {
        for format in ["table", "csv", "json"] {
            let result = try await office.hubCLI(["report", report, "--format", format])
            #expect(result.succeeded, "report \(report) --format \(format): \(result)")
        }
    }
    let json = try await office.hubOK(["report", "agents", "--format", "json"])
    let agents = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]])
    #expect(agents.compactMap { $0["agent"] }.sorted() == ["agent01", "agent02", "agent03"])
    #expect(agents.contains { Int($0["calls"] ?? "") ?? 0 > 0 })
    let table = try await office.hubOK(["report", "portfolios", "--portfolio", "BANQUE-SUD"])
    #expect(table.contains("BANQUE-SUD") && !table.contains("TELCO-EST"), "\(table)")
}
