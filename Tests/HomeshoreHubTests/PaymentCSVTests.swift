import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Testing

@Suite struct PaymentCSVTests {
    static let today = "2026-04-15"

    @Test func columnsInAnyOrderWithQuotingAndOptionalCells() throws {
        let csv = """
        Payment_ID , paid_on,Amount,Bank,currency,REFERENCE,portfolio
        "VIR ""2026""-1",2026-04-15,"1234,50","Crédit Agricole, Paris",eur, D-1 ,P.Energie
        ,2026-01-02,12,,,D-2,
        P-3,2026-03-01,1500,,JPY,D-3,Telecom_2026

        """
        let rows = try PaymentCSV.parse(string: csv, today: Self.today)
        #expect(rows == [
            PaymentImportRow(line: 2, reference: "D-1", portfolio: "P.Energie", amountText: "1234,50", currency: "EUR",
                             paidOn: "2026-04-15", paymentId: "VIR \"2026\"-1"),
            PaymentImportRow(line: 3, reference: "D-2", amountText: "12", paidOn: "2026-01-02"),
            PaymentImportRow(line: 4, reference: "D-3", portfolio: "Telecom_2026", amountText: "1500", currency: "JPY",
                             paidOn: "2026-03-01", paymentId: "P-3"),
        ])
    }

    @Test func onlyTheRequiredColumnsAreNeeded() throws {
        let rows = try PaymentCSV.parse(string: "reference,amount,paid_on\r\nD-1,10.5,2026-04-01\r\n", today: Self.today)
        #expect(rows == [PaymentImportRow(line: 2, reference: "D-1", amountText: "10.5", paidOn: "2026-04-01")])
    }

    @Test func everyBadRowIsListedWithLineAndColumn() throws {
        let csv = """
        reference,amount,paid_on,payment_id,currency
        D-1,12.5,2026-04-01,P-1,
        D-2,douze,2026-04-01,P-2,
        D-3,0,2026-04-01,,
        D-4,10,2026-04-16,,
        D-5,10,2026-02-30,,
        ,10,2026-04-01,,
        D-7,10,2026-04-01,P-1,
        D-8,"10.5",2026-04-01,,EURO
        D-9,10.123,2026-04-01,,JPY
        D-10,1000000000.01,2026-04-01,,
        """
        let failure = try #require(throws: ImportFailure.self) { try PaymentCSV.parse(string: csv, today: Self.today) }
        #expect(failure.problems.map { "\($0.line) \($0.column ?? "-")" } == [
            "3 amount", "4 amount", "5 paid_on", "6 paid_on", "7 reference", "8 payment_id",
            "9 currency", "10 amount", "11 amount",
        ])
        #expect(failure.problems.map(\.description) == [
            #"line 3, column amount: "douze" is not an amount (write 1234.50)"#,
            #"line 4, column amount: "0" must be more than zero"#,
            #"line 5, column paid_on: "2026-04-16" is after today (2026-04-15); a payment cannot be in the future"#,
            #"line 6, column paid_on: "2026-02-30" is not a date (write YYYY-MM-DD, e.g. 2026-03-31)"#,
            "line 7, column reference: is empty; this column is required",
            "line 8, column payment_id: payment_id P-1 already appears on line 2",
            #"line 9, column currency: "EURO" is not a currency code (write three letters, e.g. EUR)"#,
            #"line 10, column amount: "10.123" is not an amount (write 123450)"#,
            #"line 11, column amount: "1000000000.01" is more than the largest amount accepted (1000000000.00)"#,
        ])
        #expect(failure.description.hasPrefix("The file has 9 bad rows; nothing was imported.\nline 3, column amount:"))
    }

    @Test func rowProblemsCoverLengthsCellCountAndPortfolio() throws {
        let longId = String(repeating: "x", count: 101)
        let longReference = String(repeating: "R", count: 65)
        let csv = "reference,amount,paid_on,payment_id,portfolio\n"
            + "\(longReference),1,2026-04-01,\(longId),P 1\n"
            + "D-2,1,2026-04-01\n"
            + "D-3,1,2026-04-01,\"a\nb\",\n"
        let failure = try #require(throws: ImportFailure.self) { try PaymentCSV.parse(string: csv, today: Self.today) }
        #expect(failure.problems.map { "\($0.line) \($0.column ?? "-")" } == [
            "2 reference", "2 portfolio", "2 payment_id", "3 -", "4 payment_id",
        ])
        #expect(failure.problems[0].message == "is 65 characters long (at most 64)")
        #expect(failure.problems[2].message == "is 101 characters long (at most 100)")
    }

    @Test func fileLevelProblemsAreErrorsWithCodes() throws {
        func code(_ csv: String) -> String? {
            do { _ = try PaymentCSV.parse(string: csv, today: Self.today); return nil }
            catch let error as HomeshoreError { return error.code } catch { return "\(error)" }
        }
        #expect(code("") == "csv_empty")
        #expect(code("reference,amount,paid_on\n,,\n") == "csv_empty")
        #expect(code("reference,amount,paid_on,amount\nD-1,1,2026-01-01,1\n") == "csv_duplicate_column")
        #expect(code("reference,amount,paid_on\nD-1,\"1,2026-01-01\n") == "csv_malformed")
        #expect(code("\u{FEFF}reference,amount,paid_on\nD-1,1,2026-01-01\n") == nil)

        let missing = try #require(throws: HomeshoreError.self) {
            try PaymentCSV.parse(string: "reference,montant,paid_on\nD-1,1,2026-01-01\n", today: Self.today)
        }
        #expect(missing.code == "csv_missing_column")
        #expect(missing.message.hasPrefix("The header row has no column amount. Required columns: reference, amount, paid_on;"))

        let badToday = try #require(throws: HomeshoreError.self) { try PaymentCSV.parse(string: "x", today: "15/04/2026") }
        #expect(badToday.code == "invalid_date")
    }

    @Test func filesAreReadWithTheirErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homeshore-pay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let good = directory.appendingPathComponent("payments.csv")
        try Data("reference,amount,paid_on\nD-1,1,2026-01-01\n".utf8).write(to: good)
        #expect(try PaymentCSV.parse(fileAt: good.path, today: Self.today).map(\.reference) == ["D-1"])

        let latin1 = directory.appendingPathComponent("latin1.csv")
        try Data([0x72, 0x65, 0x66, 0x65, 0x72, 0x65, 0x6E, 0x63, 0x65, 0x0A, 0xE9, 0x0A]).write(to: latin1)  // "reference\né"
        let notUTF8 = try #require(throws: HomeshoreError.self) { try PaymentCSV.parse(fileAt: latin1.path, today: Self.today) }
        #expect(notUTF8.code == "csv_not_utf8")

        let absent = try #require(throws: HomeshoreError.self) {
            try PaymentCSV.parse(fileAt: directory.appendingPathComponent("none.csv").path, today: Self.today)
        }
        #expect(absent.code == "file_unreadable")
    }
}
