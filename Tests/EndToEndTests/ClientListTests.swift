import Foundation
import HomeshoreCore
import Testing

/// The agent's read commands on a small hand-written portfolio: `list` in CSV (RFC 4180 quoting) and
/// JSON, `list --status`, accent-insensitive `search`, and `show --format json` with its history newest first.
@Suite("Client lists")
struct ClientListTests {
    static let columns = ["reference", "portfolio", "debtor", "balance", "currency", "status", "city", "phone", "callback"]
    static let trickyName = "Société \"Ça, va\""

    /// An office where alice holds L-001…L-004 of portfolio LIST, synced.
    static func aliceWithSmallPortfolio(_ label: String) async throws -> Office {
        let office = try await Office.open(label)
        try await office.enrollAgent("alice", name: "Alice Martin")
        let csv = #"""
            reference,debtor_name,debtor_type,amount_due,currency,due_date,phone,city
            L-001,"Société ""Ça, va""",company,1234.50,EUR,2026-03-01,+33 6 12 34 56 78,Besançon
            L-002,Hélène Lefèvre,person,99.00,EUR,2026-04-01,06 11 22 33 44,Besançon
            L-003,"Dupont, Jean",person,10.00,EUR,2026-05-01,,Paris
            L-004,Marc Petit,person,5.00,EUR,2026-05-02,,Lyon

            """#
        let file = office.root + "/list.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try await office.hubOK(["import", "dossiers", file, "--portfolio", "LIST"])
        #expect(imported.contains("4 created"), "import: \(imported)")
        try await office.assign(["L-001", "L-002", "L-003", "L-004"], to: "alice")
        try await office.clientOK("alice", ["sync"])
        return office
    }

    @Test("list --format csv and json, list --status, search without accents, show --format json newest first")
    func listsSearchAndShow() async throws {
        let office = try await Self.aliceWithSmallPortfolio("lists")

        // CSV: a header, one row per dossier, RFC 4180 quoting.
        let csvText = try await office.clientOK("alice", ["list", "--format", "csv"])
        let csv = try TextFormats.parseCSVObjects(csvText)
        #expect(csv.header == Self.columns, "csv:\n\(csvText)")
        #expect(csv.rows.map { $0["reference"] ?? "" }.sorted() == ["L-001", "L-002", "L-003", "L-004"], "csv:\n\(csvText)")
        let byRef = Dictionary(csv.rows.map { ($0["reference"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byRef["L-001"]?["debtor"] == Self.trickyName)
        #expect(byRef["L-003"]?["debtor"] == "Dupont, Jean")
        #expect(byRef["L-002"]?["debtor"] == "Hélène Lefèvre")
        #expect(byRef["L-002"]?["city"] == "Besançon")
        #expect(byRef["L-001"]?["currency"] == "EUR")
        #expect(csv.rows.allSatisfy { $0["portfolio"] == "LIST" && $0["status"] == "new" })
        #expect(csvText.contains("\"Société \"\"Ça, va\"\"\""), "a name with quotes and a comma is quoted, quotes doubled:\n\(csvText)")
        #expect(csvText.contains("\"Dupont, Jean\""), "a name with a comma is quoted:\n\(csvText)")
        #expect(!csvText.contains("\"Marc Petit\""), "plain fields are not quoted:\n\(csvText)")

        // JSON: an array of objects with the same values.
        let json = try TextFormats.parseJSONObjects(try await office.clientOK("alice", ["list", "--format", "json"]))
        #expect(json.count == 4)
        #expect(json.allSatisfy { Set($0.keys) == Set(Self.columns) }, "keys: \(json.map { $0.keys.sorted() })")
        #expect(Set(json) == Set(csv.rows), "json and csv list the same rows")

        // Work on L-002 makes it in-progress on the hub; --status filters.
        // Whole seconds, so that the text survives parsing unchanged.
        let earlier = Timestamp.string(from: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3 * 3600).rounded(.down)))
        try await office.clientOK("alice", ["call", "L-002", "--outcome", "no-answer", "--duration", "45s", "--at", earlier,
                                            "--note", "first try"])
        try await office.clientOK("alice", ["note", "L-002", "second note"])
        try await office.clientOK("alice", ["sync"])
        try await office.clientOK("alice", ["note", "L-002", "third, not yet sent"])

        let fresh = try TextFormats.parseJSONObjects(try await office.clientOK("alice", ["list", "--status", "new", "--format", "json"]))
        #expect(fresh.map { $0["reference"] ?? "" }.sorted() == ["L-001", "L-003", "L-004"])
        #expect(fresh.allSatisfy { $0["status"] == "new" })
        let working = try TextFormats.parseJSONObjects(try await office.clientOK("alice", ["list", "--status", "in-progress", "--format", "json"]))
        #expect(working.map { $0["reference"] ?? "" } == ["L-002"])
        let freshCSV = try TextFormats.parseCSVObjects(try await office.clientOK("alice", ["list", "--status", "new", "--format", "csv"]))
        #expect(freshCSV.header == Self.columns && freshCSV.rows.count == 3)
        let none = try TextFormats.parseJSONObjects(try await office.clientOK("alice", ["list", "--status", "closed", "--format", "json"]))
        #expect(none.isEmpty)

        // search: accents optional.
        func found(_ query: String) async throws -> [String] {
            try TextFormats.parseJSONObjects(try await office.clientOK("alice", ["search", query, "--format", "json"]))
                .map { $0["reference"] ?? "" }.sorted()
        }
        #expect(try await found("helene lefevre") == ["L-002"])
        #expect(try await found("lefevre besancon") == ["L-002"])
        #expect(try await found("besancon") == ["L-001", "L-002"])
        #expect(try await found("societe") == ["L-001"])
        #expect(try await found("Hélène") == ["L-002"])
        #expect(try await found("dupont") == ["L-003"])

        // show --format json: the history newest first, the unsent note on top.
        let shown = try await office.show("alice", "L-002")
        #expect(shown.dossier.reference == "L-002" && shown.dossier.debtorName == "Hélène Lefèvre")
        #expect(shown.dossier.status == "in-progress")
        let times = shown.history.map(\.time)
        #expect(times == times.sorted(by: >), "history newest first: \(times)")
        let work = shown.history.filter { $0.kind == "call" || $0.kind == "note" }
        #expect(work.map(\.kind) == ["note", "note", "call"], "history: \(shown.history.map { ($0.kind, $0.time) })")
        #expect(work.map(\.payload.text) == ["third, not yet sent", "second note", "first try"])
        #expect(work.map(\.pending) == [true, false, false])
        #expect(work.last?.payload.outcome == "no-answer")
        #expect(work.last?.time == earlier, "a call is dated when it happened (--at)")
        #expect(work.dropFirst().allSatisfy { $0.agent == "alice" })
    }
}
