import Foundation
import HomeshoreCore
import Testing

/// Issue point 9, scenario 7: a portfolio file with bad rows imports nothing at all and names every
/// bad line (physical lines: a quoted cell spanning two lines counts as two).
@Test("Importing a file with bad rows exits 1, lists their lines, and imports nothing")
func importWithBadRowsImportsNothing() async throws {
    let office = try await Office.open("import-bad", serve: false)
    let header = "reference,debtor_name,amount_due,currency,due_date,phone,address,city"
    let existing = office.root + "/existing.csv"
    try """
        \(header)
        D-000201,Lucie Moreau,10.00,EUR,2026-01-15,06 11 22 33 44,3 rue Haute,Tours

        """.write(toFile: existing, atomically: true, encoding: .utf8)
    try await office.hubOK(["import", "dossiers", existing, "--portfolio", "ACME"])
    let before = try await office.hubDossier("D-000201")
    #expect(before.dossier.amountDue == 1000)

    let bad = office.root + "/bad.csv"
    try """
        \(header)
        D-000101,Jeanne Roux,120.50,EUR,2026-03-31,06 12 34 56 78,"12 rue des Lilas
        Bâtiment B",Lyon
        D-000102,Paul Girard,abc,EUR,2026-04-01,,,Paris
        D-000103,Anne Petit,80.00,EUR,2026-02-30,,,Lille
        D-000104,Marc Blanc,55.00,EUR,2026-05-01,,,Nantes
        D-000105,,10.00,EURO,2026-05-02,,,Nice
        D-000104,Marc Blanc bis,55.00,EUR,2026-05-01,,,Nantes
        D-000201,Lucie Moreau,99.00,EUR,2026-01-15,06 11 22 33 44,3 rue Haute,Tours

        """.write(toFile: bad, atomically: true, encoding: .utf8)
    let result = try await office.hubCLI(["import", "dossiers", bad, "--portfolio", "ACME"])
    #expect(result.status == 1 && !result.killedBySignal, "\(result)")
    #expect(result.stderr.contains("4 bad rows"), "stderr: \(result.stderr)")
    #expect(result.stderr.contains("nothing was imported"), "stderr: \(result.stderr)")
    let lines = Set(result.stderr.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).compactMap { line -> Int? in
        guard line.hasPrefix("line ") else { return nil }
        return Int(line.dropFirst(5).prefix { $0.isNumber })
    })
    #expect(lines == [4, 5, 7, 8], "bad lines listed: \(lines.sorted())\n\(result.stderr)")
    #expect(result.stderr.contains("line 4, column amount_due"), "stderr: \(result.stderr)")
    #expect(result.stderr.contains("line 5, column due_date"), "stderr: \(result.stderr)")
    #expect(result.stderr.contains("line 7, column debtor_name"), "stderr: \(result.stderr)")
    #expect(result.stderr.contains("line 7, column currency"), "stderr: \(result.stderr)")
    #expect(result.stderr.contains("line 8, column reference"), "stderr: \(result.stderr)")
    #expect(result.stderr.contains("line 6"), "the duplicate's message should name line 6: \(result.stderr)")

    // Nothing was created, and the good update to an existing dossier was not applied either.
    for reference in ["D-000101", "D-000104"] {
        let show = try await office.hubCLI(["dossier", "show", reference, "--format", "json"])
        #expect(show.status == 1 && !show.killedBySignal, "\(reference) should not exist: \(show)")
        #expect(show.stderr.contains(reference), "stderr: \(show.stderr)")
    }
    let after = try await office.hubDossier("D-000201")
    #expect(after == before)
    #expect(try await office.store().eventCount(kind: nil) == before.events.count)
}
