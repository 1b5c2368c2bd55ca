import HomeshoreCore

/// One record's cells, looked up by column, with the checks every import shares (required, length,
/// control characters, dates, amounts). Problems are kept per row so a reader knows if its row is clean.
struct CSVRowCells<Column: CSVColumn> {
    let record: CSVRecord
    let header: CSVHeader<Column>
    let dates: CSVDateCheck
    private(set) var problems: [ImportProblem] = []

    var line: Int { record.line }

    /// Nil, with a problem for the whole row, when the record's cell count differs from the header's:
    /// cells cannot be matched to columns then.
    init?(_ record: CSVRecord, header: CSVHeader<Column>, dates: CSVDateCheck, problems: inout [ImportProblem]) {
        let count = record.cells.count
        guard count == header.cellCount else {
            problems.append(ImportProblem(
                line: record.line, column: nil,
                message: "has \(count) \(count == 1 ? "cell" : "cells") but the header has \(header.cellCount); "
                    + "check for a missing or extra comma, or an unquoted comma inside a cell"))
            return nil
        }
        self.record = record
        self.header = header
        self.dates = dates
    }

    mutating func report(_ column: Column, _ message: String) {
        problems.append(ImportProblem(line: record.line, column: column.name, message: message))
    }

    /// The trimmed cell, or "" once a problem is reported for it, so later checks do not pile on.
    mutating func cell(_ column: Column) -> String {
        guard let position = header.position(of: column) else { return "" }
        let value = CSVText.trimmed(record.cells[position])
        if column.isRequired && value.isEmpty {
            report(column, "is empty; this column is required")
        } else if value.utf8.count > column.maxLength, value.count > column.maxLength {
            report(column, "is \(value.count) characters long (at most \(column.maxLength))")
            return ""
        } else if record.mayHaveControlCharacters,
                  CSVText.hasControlCharacter(value, allowingLineBreaks: column.allowsLineBreaks) {
            report(column, "\(CSVText.shown(value)) contains a line break or control character")
            return ""
        }
        return value
    }

    mutating func optional(_ column: Column) -> String? {
        let value = cell(column)
        return value.isEmpty ? nil : value
    }

    /// A YYYY-MM-DD cell; an impossible date is reported and still returned.
    mutating func date(_ column: Column) -> String? {
        let value = optional(column)
        if let value, !dates.isValid(value) {
            report(column, "\(CSVText.shown(value)) is not a date (write YYYY-MM-DD, e.g. 2026-03-31)")
        }
        return value
    }

    /// An upper-cased currency code, reported when not three letters.
    mutating func currency(_ column: Column) -> String? {
        guard let code = optional(column)?.uppercased() else { return nil }
        if !Money.isValidCurrency(code) {
            report(column, "\(CSVText.shown(code)) is not a currency code (write three letters, e.g. EUR)")
        }
        return code
    }

    /// Minor units of `text` (a cell of `column`), which must be more than zero and at most
    /// `Money.maxMinorUnits`; 0 when empty or bad.
    mutating func amount(_ text: String, in column: Column, currency: String) -> Int64 {
        guard !text.isEmpty else { return 0 }
        // An invalid currency is reported on its own cell; parse with the default decimals meanwhile.
        let parseCurrency = Money.isValidCurrency(currency) ? currency : "EUR"
        guard let value = ImportAmount.parse(text, currency: parseCurrency) else {
            report(column, "\(CSVText.shown(text)) is not an amount (write \(Money.format(123_450, currency: parseCurrency)))")
            return 0
        }
        if value <= 0 {
            report(column, "\(CSVText.shown(text)) must be more than zero")
        } else if value > Money.maxMinorUnits {
            report(column, "\(CSVText.shown(text)) is more than the largest amount accepted ("
                   + Money.format(Money.maxMinorUnits, currency: parseCurrency) + ")")
        }
        return value
    }
}
