import Foundation
@testable import HomeshoreCore
import Testing

@Suite struct ListOutputTests {
    @Test func spreadsheetCSVNeverHandsASpreadsheetAFormula() {
        let list = ListOutput(columns: ["name", "balance"], rows: [
            ["=HYPERLINK(\"http://evil\",\"x\")", "-12.50"],
            ["+33 6 12 34 56 78", "12.50"],
            ["@SUM(A1)", "0"],
            ["-cmd|' /C calc'!A0", "-3"],
            ["Zoë, \"Jo\"", "1"],
            ["-", "-"],
        ])
        let csv = list.spreadsheetCSV()
        #expect(csv.hasPrefix("\u{FEFF}name,balance\n"))
        let lines = csv.dropFirst().split(separator: "\n").map(String.init)
        #expect(lines[1] == "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",-12.50", "negative amounts stay numbers")
        #expect(lines[2] == "'+33 6 12 34 56 78,12.50")
        #expect(lines[3] == "'@SUM(A1),0")
        #expect(lines[4].hasPrefix("\"'-cmd|' /C calc'!A0\",-3") || lines[4].hasPrefix("'-cmd|' /C calc'!A0,-3"))
        #expect(lines[5] == "\"Zoë, \"\"Jo\"\"\",1")
        #expect(lines[6] == "-,-", "a dash for nothing to divide by stays a dash")
        #expect(!list.csv().contains("'="), "plain CSV for programs is left exact")
    }

    @Test func tablesAlignByCharactersWhateverTheBytes() {
        // "Zoë" spelled with a combining accent is 3 characters in 5 bytes; "Léa" 3 in 4.
        let list = ListOutput(columns: ["name", "city", "balance"], rows: [
            ["Zoe\u{0308}", "Lyon", "12,50 €"],
            ["Léa", "Saint-Étienne", "3"],
            ["Bartholomew", "Nice", ""],
        ])
        #expect(list.table() == """
            NAME         CITY           BALANCE
            Zoe\u{0308}          Lyon           12,50 €
            Léa          Saint-Étienne  3
            Bartholomew  Nice           \n
            """)
        #expect(ListOutput(columns: ["a"], rows: []).table() == "A\n")
    }
}
