import HomeshoreCore

/// Turns one CSV record into a payment row, reporting every bad cell rather than stopping at the first.
struct PaymentRowReader: CSVRowReading {
    typealias Column = PaymentColumn
    typealias Row = PaymentImportRow

    /// One memo of date checks for the whole file.
    private let dates = CSVDateCheck()
    let header: CSVHeader<PaymentColumn>
    /// YYYY-MM-DD; a payment dated later is a typo or a scheduled transfer, not money received.
    let today: String
    private var firstLineOfPaymentId: [String: Int] = [:]

    init(header: CSVHeader<PaymentColumn>, today: String) {
        self.header = header
        self.today = today
    }

    mutating func read(_ record: CSVRecord, problems: inout [ImportProblem]) -> PaymentImportRow? {
        guard var row = CSVRowCells(record, header: header, dates: dates, problems: &problems) else { return nil }
        defer { problems += row.problems }

        let reference = row.cell(.reference)
        let portfolio = row.optional(.portfolio)
        if let portfolio, !Self.isPortfolioName(portfolio) {
            row.report(.portfolio, "\(CSVText.shown(portfolio)) is not a portfolio name "
                       + "(letters, digits, dots, dashes or underscores)")
        }
        let currency = row.currency(.currency)
        let amountText = row.cell(.amount)
        _ = row.amount(amountText, in: .amount, currency: currency ?? "EUR")
        let paidOn = row.date(.paidOn) ?? ""
        // Valid YYYY-MM-DD strings order like the days they name.
        if dates.isValid(paidOn) && paidOn > today {
            row.report(.paidOn, "\(CSVText.shown(paidOn)) is after today (\(today)); a payment cannot be in the future")
        }
        let paymentId = row.optional(.paymentId)
        if let paymentId {
            if let earlier = firstLineOfPaymentId[paymentId] {
                row.report(.paymentId, "payment_id \(paymentId) already appears on line \(earlier)")
            } else {
                firstLineOfPaymentId[paymentId] = record.line
            }
        }

        guard row.problems.isEmpty else { return nil }
        return PaymentImportRow(line: record.line, reference: reference, portfolio: portfolio, amountText: amountText,
                                currency: currency, paidOn: paidOn, paymentId: paymentId)
    }

    /// Same rule as the portfolio name given to a dossier import.
    static func isPortfolioName(_ name: String) -> Bool {
        name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
