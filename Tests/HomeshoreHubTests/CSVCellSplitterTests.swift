import CSV
import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// The import's own cell splitter replaced CSV.swift (issue 10): on generated text with quoted
/// cells, doubled quotes, commas and line breaks inside quotes, CR, LF and CRLF record ends, empty
/// cells and non-ASCII text, it gives the cells CSV.swift gave.
@Suite struct CSVCellSplitterTests {
    static func text(seed: UInt64) -> String {
        var random = SampleDossiers.SplitMix64(seed: seed)
        let plain = ["a", "Zoé", "12.50", " ", "x y", "ü", "–", "a\"b", ""]
        let quoted = ["a,b", "say \"\"hi\"\"", "two\nlines", "cr\r\nlf", "", ",", "\"\"", "Ærø"]
        let ends = ["\n", "\r\n", "\r"]
        var text = ""
        for record in 0..<Int(20 + random.next() % 20) {
            if record > 0 { text += ends[Int(random.next() % 3)] }
            if random.next() % 9 == 0 { continue }  // An empty line.
            for cell in 0..<Int(1 + random.next() % 5) {
                if cell > 0 { text += "," }
                text += random.next() % 3 == 0 ? "\"" + quoted[Int(random.next() % UInt64(quoted.count))] + "\""
                    : plain[Int(random.next() % UInt64(plain.count))]
            }
        }
        if random.next() % 2 == 0 { text += "\n" }
        return text
    }

    @Test(arguments: 1...40)
    func cellsAreTheOnesCSVSwiftGave(seed: Int) throws {
        let text = Self.text(seed: UInt64(seed))
        let reader = try CSVReader(string: text, hasHeaderRow: false)
        var expected: [[String]] = []
        while let row = reader.next() { expected.append(row) }
        let cells = CSVCellSplitter.records(ArraySlice(Array(text.utf8)))
        #expect(cells == expected, "\(text.debugDescription)")
    }
}
