import Foundation
import Testing

/// `homeshore-hub report timeline`: the creditor's printable record of a dossier, written by the real
/// binary from a hub filled with generated work, and read back by Python's HTML parser (a reader
/// that is not ours): one row per event of the dossier, each with its time, kind and agent.
@Test func timelineExportWritesAPrintableDocumentPerDossier() async throws {
    let office = try await Office.open("timeline-export", serve: false)
    _ = try await office.hubOK(["sample-activity", "--agents", "2", "--days", "5", "--dossiers", "20"])
    let portfolio = "BANQUE-SUD"
    let listed = try await office.hubOK(["report", "dossiers", "--portfolio", portfolio, "--format", "json"])
    let dossiers = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: String]])
    try #require(!dossiers.isEmpty)

    // The dossier with the longest history, as the hub holds it.
    var chosen: (reference: String, debtor: String, events: [[String: Any]]) = ("", "", [])
    for row in dossiers {
        let reference = try #require(row["reference"])
        let shown = try await office.hubOK(["dossier", "show", reference, "--portfolio", portfolio, "--format", "json"])
        let change = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])
        let events = try #require(change["events"] as? [[String: Any]])
        if events.count > chosen.events.count { chosen = (reference, row["debtor_name"] ?? "", events) }
    }
    try #require(chosen.events.count >= 3, "the generator left a dossier with some history")

    let file = office.root + "/timeline.html"
    let wrote = try await office.hubOK(["report", "timeline", chosen.reference, "--portfolio", portfolio, "--output", file])
    #expect(wrote.contains("written to \(file)") && wrote.contains("(\(chosen.events.count) events)"), "\(wrote)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
    let html = try #require(String(data: bytes, encoding: .utf8), "the file is UTF-8")
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"))
    #expect(!html.contains("<a href") && !html.contains("<script") && !html.contains("http"), "standalone: no link, no script, nothing fetched")
    #expect(html.contains("@media print") && html.contains("<style>"))
    // Debtors like "Dupont, Fils & Associés SAS" or "L'Étoile du Nord" are escaped in the file; Python reads them back as written.
    let escapedDebtor = chosen.debtor.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    #expect(html.contains(portfolio) && html.contains(chosen.reference) && html.contains(escapedDebtor))

    let parsed = try await readTimeline(file, office: office)
    #expect(parsed.facts["Creditor portfolio"] == portfolio)
    #expect(parsed.facts["Reference"] == chosen.reference)
    #expect(parsed.facts["Debtor"] == chosen.debtor)
    #expect(parsed.facts["Amount due"]?.hasSuffix(" EUR") == true && parsed.facts["Balance"]?.hasSuffix(" EUR") == true)
    #expect(parsed.facts["Status"]?.isEmpty == false && parsed.facts["Placed"]?.isEmpty == false)
    #expect(parsed.headers == ["When", "What", "Agent", "Details"])
    #expect(parsed.rows.count == chosen.events.count, "one row per event")
    let day = try Regex(#"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$"#)
    for row in parsed.rows {
        #expect(row.count == 4 && row[0].wholeMatch(of: day) != nil && !row[1].isEmpty && !row[2].isEmpty, "\(row)")
    }
    // Who did what: the agents of the events (the hub for its own), and as many calls and payments.
    let agents = chosen.events.map { $0["agent"] as? String ?? "hub" }.sorted()
    #expect(parsed.rows.map { $0[2] }.sorted() == agents)
    for (kind, label) in [("call", "Call"), ("payment", "Payment"), ("note", "Note"), ("assignment", "Assignment")] {
        #expect(parsed.rows.filter { $0[1] == label }.count == chosen.events.filter { $0["kind"] as? String == kind }.count, "\(kind)")
    }
    #expect(parsed.rows.map(\.[0]) == parsed.rows.map(\.[0]).sorted(), "oldest first")

    // Without --output the same document goes to stdout (only its printing time may differ).
    let tbody = { (text: String) in text.components(separatedBy: "<tbody>").last?.components(separatedBy: "</tbody>").first }
    let printed = try await office.hubOK(["report", "timeline", "\(portfolio)/\(chosen.reference)"])
    #expect(printed.hasPrefix("<!DOCTYPE html>") && tbody(printed) == tbody(html))

    // Every dossier of the portfolio, one file each, with progress on stderr.
    let folder = office.root + "/timelines"
    let all = try await office.hubCLI(["report", "timeline", "--all", "--portfolio", portfolio, "--output-dir", folder])
    #expect(all.succeeded, "\(all)")
    #expect(all.stdout.contains("\(dossiers.count) timeline(s) of portfolio \(portfolio) written to \(folder)."), "\(all)")
    #expect(all.stderr.contains("Timelines written: \(dossiers.count) of \(dossiers.count)"), "\(all)")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(files == dossiers.compactMap { $0["reference"] }.map { $0 + ".html" }.sorted())
    let again = try String(contentsOfFile: folder + "/\(chosen.reference).html", encoding: .utf8)
    #expect(tbody(again) == tbody(html))
}

@Test func timelineExportNamesUnknownAndAmbiguousReferences() async throws {
    let office = try await Office.open("timeline-errors", serve: false)
    for portfolio in ["CREANCIER-A", "CREANCIER-B"] {
        let file = office.root + "/\(portfolio).csv"
        try "reference,debtor_name,amount_due,currency,due_date\nR-1,Zoë Ménard,100.00,EUR,2026-10-01\nR-\(portfolio.suffix(1)),Jo,5.00,EUR,2026-10-01\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await office.hubOK(["import", "dossiers", file, "--portfolio", portfolio])
    }
    let output = office.root + "/nothing.html"
    let unknown = try await office.hubCLI(["report", "timeline", "NOPE-404", "--output", output])
    #expect(unknown.status == 1, "\(unknown)")
    #expect(unknown.stderr.trimmingCharacters(in: .whitespacesAndNewlines) == "No dossier has the reference NOPE-404.", "\(unknown)")
    #expect(unknown.stdout.isEmpty && !FileManager.default.fileExists(atPath: output), "nothing written")

    let ambiguous = try await office.hubCLI(["report", "timeline", "R-1"])
    #expect(ambiguous.status == 1, "\(ambiguous)")
    #expect(ambiguous.stderr.contains("The reference R-1 exists in several portfolios (CREANCIER-A, CREANCIER-B)")
            && ambiguous.stderr.contains("--portfolio"), "\(ambiguous)")
    #expect(ambiguous.stdout.isEmpty)
    let named = try await office.hubOK(["report", "timeline", "R-1", "--portfolio", "CREANCIER-B"])
    #expect(named.contains("CREANCIER-B / R-1 — Zoë Ménard"))
    #expect(try await office.hubOK(["report", "timeline", "CREANCIER-A/R-1"]).contains("CREANCIER-A / R-1"))

    // Usage mistakes exit 2 and say what to give.
    let cases: [([String], String)] = [
        (["report", "timeline"], "reference"),
        (["report", "timeline", "R-1", "--all"], "either a reference or --all"),
        (["report", "timeline", "--all", "--output-dir", office.root + "/x"], "--portfolio"),
        (["report", "timeline", "--all", "--portfolio", "CREANCIER-A"], "--output-dir"),
        (["report", "timeline", "R-A", "--output-dir", office.root + "/x"], "--all"),
    ]
    for (arguments, needle) in cases {
        let result = try await office.hubCLI(arguments)
        #expect(result.status == 2 && result.stderr.contains(needle), "\(arguments): \(result)")
    }
    let noPortfolio = try await office.hubCLI(["report", "timeline", "--all", "--portfolio", "NOPE", "--output-dir", office.root + "/x"])
    #expect(noPortfolio.status == 1 && noPortfolio.stderr.contains("There is no portfolio NOPE."), "\(noPortfolio)")
}

/// The header facts, column headings and table rows of a timeline document, as Python's
/// `html.parser` reads them (entities decoded, whitespace trimmed).
private func readTimeline(_ file: String, office: Office) async throws -> (facts: [String: String], headers: [String], rows: [[String]]) {
    let script = """
        import html.parser, json, sys
        class Reader(html.parser.HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.facts, self.headers, self.rows, self.stack, self.text, self.term = {}, [], [], [], "", None
            def handle_starttag(self, tag, attrs):
                self.stack.append(tag)
                if tag in ("dt", "dd", "th", "td"): self.text = ""
                if tag == "tr" and "tbody" in self.stack: self.rows.append([])
            def handle_endtag(self, tag):
                text = self.text.strip()
                if tag == "dt": self.term = text
                elif tag == "dd": self.facts[self.term] = text
                elif tag == "th": self.headers.append(text)
                elif tag == "td" and self.rows: self.rows[-1].append(text)
                while self.stack and self.stack.pop() != tag: pass
            def handle_data(self, data): self.text += data
        reader = Reader()
        with open(sys.argv[1], encoding="utf-8") as f: reader.feed(f.read())
        print(json.dumps({"facts": reader.facts, "headers": reader.headers, "rows": reader.rows}))
        """
    let result = try await runCommand("/usr/bin/env", ["python3", "-c", script, file], logDir: office.logs)
    try #require(result.succeeded, "python3 could not read the timeline: \(result)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    return (json["facts"] as? [String: String] ?? [:], json["headers"] as? [String] ?? [], json["rows"] as? [[String]] ?? [])
}
