import CSV
import Foundation

public enum ListFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// Renders a list for a terminal (aligned columns), a spreadsheet (RFC 4180 CSV) or a program (JSON
/// array of objects keyed by column).
public struct ListOutput: Sendable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    public func render(_ format: ListFormat) -> String {
        switch format {
        case .table: table()
        case .csv: csv()
        case .json: json()
        }
    }

    public func table() -> String {
        let lines = [columns.map { $0.uppercased() }] + rows
        // Grapheme breaking is what made a 5,000-line `homeshore list` slow: most cells are ASCII,
        // whose width is their byte count.
        let sizes = lines.map { $0.map { $0.utf8.allSatisfy { $0 < 0x80 } ? $0.utf8.count : $0.count } }
        var widths = sizes[0]
        for row in sizes.dropFirst() {
            for (index, size) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], size)
            }
        }
        // Bytes, made into one String at the end: appending padding Characters to a String went
        // through the generic Sequence path, character by character (75 % of a 5,000-line list; issue 10).
        let space = UInt8(ascii: " ")
        var text: [UInt8] = []
        text.reserveCapacity(lines.count * (widths.reduce(0, +) + 2 * widths.count + 1))
        for (cells, cellSizes) in zip(lines, sizes) {
            for (index, cell) in cells.enumerated() {
                if index > 0 { text.append(space); text.append(space) }
                text.append(contentsOf: cell.utf8)
                if index < cells.count - 1 { text.append(contentsOf: repeatElement(space, count: widths[index] - cellSizes[index])) }
            }
            text.append(UInt8(ascii: "\n"))
        }
        return String(decoding: text, as: UTF8.self)
    }

    public func csv() -> String {
        let stream = OutputStream(toMemory: ())
        guard let writer = try? CSVWriter(stream: stream) else { return "" }
        try? writer.write(row: columns)
        for row in rows { try? writer.write(row: row) }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// CSV for spreadsheets: a UTF-8 byte order mark first, so Excel reads accents right too, and no
    /// cell a spreadsheet would run as a formula (a debtor "named" `=HYPERLINK(…)` comes from a
    /// creditor's file): such text gets a leading apostrophe, which spreadsheets show as text.
    public func spreadsheetCSV() -> String {
        let safe = ListOutput(columns: columns.map(Self.inert), rows: rows.map { $0.map(Self.inert) })
        return "\u{FEFF}" + safe.csv()
    }

    static func inert(_ cell: String) -> String {
        guard let first = cell.first else { return cell }
        // A lone "-" (nothing to divide by) and negative amounts are not formulas.
        let risky = "=+@\t\r".contains(first) || (first == "-" && cell.count > 1 && Double(cell) == nil)
        return risky ? "'" + cell : cell
    }

    public func json() -> String {
        let objects = rows.map { row in Dictionary(uniqueKeysWithValues: zip(columns, row)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(objects)) ?? Data(), as: UTF8.self) + "\n"
    }
}
