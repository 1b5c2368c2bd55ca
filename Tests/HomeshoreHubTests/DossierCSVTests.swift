import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Testing

@Suite struct DossierCSVTests {
    static let header = "reference,debtor_name,amount_due,currency,due_date"

    @Test func quotedFieldsKeepCommasQuotesNewlinesAndAccents() throws {
        let csv = """
        reference,debtor_name,amount_due,currency,due_date,address,notes
        D-1,"Lefèvre, Hélène",1234.50,EUR,2026-03-31,"Bât. B, 12 rue des Lilas","Dit ""avoir payé""
        deuxième ligne"
        D-2,Gaëlle Bénédicte,45,eur,2026-01-02,,

        """
        let result = try DossierCSV.parse(string: csv)
        try #require(result.rows.count == 2)
        let first = result.rows[0]
        #expect(first.debtorName == "Lefèvre, Hélène")
        #expect(first.address == "Bât. B, 12 rue des Lilas")
        #expect(first.notes == "Dit \"avoir payé\"\ndeuxième ligne")
        #expect(first.amountDue == 123_450)
        #expect(result.rows[1].debtorName == "Gaëlle Bénédicte")
        #expect(result.rows[1].currency == "EUR")
        #expect(result.rows[1].amountDue == 4_500)
        #expect(result.rows[1].line == 4)
    }

    @Test func columnsMayComeInAnyOrderAndUnknownOnesAreIgnored() throws {
        let csv = """
        Due_Date , CURRENCY,Agent,notes,amount_due,debtor_name,reference
        2026-05-01,EUR,Paul,rappeler,99.9,Jérôme Faure,REF-9
        """
        let result = try DossierCSV.parse(string: csv)
        let row = try #require(result.rows.first)
        #expect(row.reference == "REF-9")
        #expect(row.debtorName == "Jérôme Faure")
        #expect(row.amountDue == 9_990)
        #expect(row.dueDate == "2026-05-01")
        #expect(row.notes == "rappeler")
        #expect(result.ignoredColumns == ["Agent"])
    }

    @Test func byteOrderMarkAndCRLFAreAccepted() throws {
        let csv = "\u{FEFF}\(Self.header),notes\r\nD-1,Zoé Noël,10.00,EUR,2026-02-28,\"a\r\nb\"\r\nD-2,Loïc Hébert,20,EUR,2026-02-27,\r\n"
        let fromString = try DossierCSV.parse(string: csv)
        #expect(fromString.rows.map(\.reference) == ["D-1", "D-2"])
        #expect(fromString.rows[0].notes == "a\r\nb")
        #expect(fromString.rows[1].dueDate == "2026-02-27")
        #expect(fromString.rows.map(\.line) == [2, 4])

        let fromFile = try withTemporaryFile(Data(csv.utf8)) { try DossierCSV.parse(fileAt: $0) }
        #expect(fromFile.rows == fromString.rows)
    }

    @Test func lineNumbersArePhysicalAfterMultiLineFields() throws {
        let csv = """
        \(Self.header),address
        D-1,Anaïs Morel,10,EUR,2026-01-10,"Résidence Les Pins
        Bâtiment C
        4 allée des Cèdres"
        D-2,Hervé Texier,not-money,EUR,2026-01-10,

        D-3,Chloé Perrin,10,EUR,2026-13-01,"x
        y"
        D-4,Joël Faure,10,EUR,2026-01-10,
        """
        let failure = try #require(throws: ImportFailure.self) { try DossierCSV.parse(string: csv) }
        #expect(failure.problems.map(\.line) == [5, 7])
        #expect(failure.problems.map(\.column) == ["amount_due", "due_date"])

        let fixed = csv.replacingOccurrences(of: "not-money", with: "1").replacingOccurrences(of: "2026-13-01", with: "2026-12-01")
        #expect(try DossierCSV.parse(string: fixed).rows.map(\.line) == [2, 5, 7, 9])
    }

    @Test func sampleLineNumbersFollowItsLineBreaksWithLFAndCRLF() throws {
        let lf = SampleDossiers.csv(count: 3_000, seed: 9)
        for text in [lf, lf.replacingOccurrences(of: "\n", with: "\r\n")] {
            var expected = 2
            var mismatches = 0
            for row in try DossierCSV.parse(string: text).rows {
                if row.line != expected { mismatches += 1 }
                // In the sample only addresses span several lines.
                expected += 1 + (row.address?.utf8.filter { $0 == 0x0A }.count ?? 0)
            }
            #expect(mismatches == 0)
        }
    }

    /// Block edges falling inside a BOM, a CRLF, a doubled quote or a UTF-8 sequence change nothing.
    @Test(arguments: [1, 2, 3, 5, 7, 64 * 1024])
    func recordsAndLinesDoNotDependOnReadBlocks(blockSize: Int) throws {
        let csv = "\u{FEFF}a,b\r\n\"x\r\ny\",\"q\"\"uote\"\r\n\r\nÉlodie,Zoë\n\"multi\nline\nfield\",z\rlast,\"\""
        let stream = InputStream(data: Data(csv.utf8))
        stream.open()
        defer { stream.close() }
        var reader = CSVRecordReader(stream: stream, blockSize: blockSize)
        var lines: [Int] = []
        var cells: [[String]] = []
        while let record = try reader.next() {
            lines.append(record.line)
            cells.append(record.cells)
        }
        #expect(lines == [1, 2, 4, 5, 6, 9])
        #expect(cells == [["a", "b"], ["x\r\ny", "q\"uote"], [""], ["Élodie", "Zoë"], ["multi\nline\nfield", "z"], ["last", ""]])
    }

    @Test func controlCharactersAreRejectedOutsideAddressAndNotes() throws {
        let csv = "\(Self.header),notes\nD-1,\"Jean\nMartin\",1,EUR,2026-01-01,\"ok\n\tfine\"\nD\u{1}2,Léa Faure,1,EUR,2026-01-01,\nD-3,Noé Faure,1,EUR,2026-01-01,\"ok\"\n"
        let failure = try #require(throws: ImportFailure.self) { try DossierCSV.parse(string: csv) }
        #expect(failure.problems.map { "\($0.line) \($0.column ?? "-")" } == ["2 debtor_name", "5 reference"])  // Row 1 spans lines 2–4.
        #expect(failure.problems[0].message.contains(#""Jean\nMartin""#))
    }

    @Test func datesWithSignsInsideAreRefusedWithLineAndColumn() throws {
        let csv = "\(Self.header),letter_date\nD-1,Marie Martin,100,EUR,2026-+1-01,\nD-2,Jean Martin,100,EUR,2026-01-01,2026-01-+5\n"
        let failure = try #require(throws: ImportFailure.self) { try DossierCSV.parse(string: csv) }
        #expect(failure.problems.map { "\($0.line) \($0.column ?? "-")" } == ["2 due_date", "3 letter_date"])
    }

    @Test func everyBadRowIsListedAndNothingIsReturned() throws {
        let csv = """
        \(Self.header),email,phone,vip,timezone,language,prior_incidents,debtor_type
        D-1,Marie Martin,100,EUR,2026-01-01,marie@orange.fr,+33 6 12 34 56 78,oui,,,,
        D-2,Jean Martin,"12,3.4",EUR,2026-01-01,,,,,,,
        D-3,,100,EURO,2026-02-30,jean@,06 12,maybe,Europe/Lutece,FR,1000,individual
        D-4,Too,Few,Cells
        D-5,Sophie Bonnet,0,EUR,2026-01-01,,,,,,,
        D-6,Julien Girard,100,EUR,2026-01-01,,,,,,-1,
        """
        let failure = try #require(throws: ImportFailure.self) { try DossierCSV.parse(string: csv) }
        let problems = failure.problems.map { "\($0.line) \($0.column ?? "-")" }
        #expect(problems == [
            "3 amount_due",
            "4 debtor_name", "4 debtor_type", "4 currency", "4 due_date", "4 phone", "4 email",
            "4 timezone", "4 language", "4 prior_incidents", "4 vip",
            "5 -",
            "6 amount_due",
            "7 prior_incidents",
        ])
        #expect(failure.problems[0].description == #"line 3, column amount_due: "12,3.4" is not an amount (write 1234.50)"#)
        #expect(failure.description.hasPrefix("The file has 5 bad rows; nothing was imported.\nline 3, column amount_due:"))
        #expect(failure.description.split(separator: "\n").count == failure.problems.count + 1)
    }

    @Test func missingRequiredColumnsAreNamed() throws {
        let csv = "reference,debtor_name,amount_due\nD-1,Léa Faure,10\n"
        let error = try #require(throws: HomeshoreError.self) { try DossierCSV.parse(string: csv) }
        #expect(error.code == "csv_missing_column")
        #expect(error.message.contains("currency, due_date"))
    }

    @Test func duplicateHeaderIsRejected() throws {
        let csv = "\(Self.header),Notes,notes\nD-1,Léa Faure,10,EUR,2026-01-01,a,b\n"
        let error = try #require(throws: HomeshoreError.self) { try DossierCSV.parse(string: csv) }
        #expect(error.code == "csv_duplicate_column")
    }

    @Test func duplicateReferenceIsReportedOnTheSecondLine() throws {
        let csv = "\(Self.header)\nD-1,A B,1,EUR,2026-01-01\nD-2,C D,1,EUR,2026-01-01\nD-1,E F,1,EUR,2026-01-01\n"
        let failure = try #require(throws: ImportFailure.self) { try DossierCSV.parse(string: csv) }
        #expect(failure.problems == [ImportProblem(line: 4, column: "reference", message: "reference D-1 already appears on line 2")])
    }

    @Test func defaultsApplyToEmptyAndAbsentCells() throws {
        let csv = "\(Self.header),timezone,language,vip,prior_incidents,debtor_type,phone\n D-1 , Agnès Lambert ,10,EUR,2026-01-01,,,,,,\n"
        let row = try #require(try DossierCSV.parse(string: csv).rows.first)
        #expect(row == DossierImportRow(line: 2, reference: "D-1", debtorName: "Agnès Lambert", amountDue: 1_000,
                                        currency: "EUR", dueDate: "2026-01-01"))
        #expect(row.timezone == "Europe/Paris" && row.language == "fr" && row.debtorType == "person")
        #expect(row.vip == false && row.priorIncidents == 0 && row.phone == nil)
    }

    @Test func structuralProblemsAreErrorsWithCodes() throws {
        func code(_ csv: String) -> String? {
            do { _ = try DossierCSV.parse(string: csv); return nil } catch let error as HomeshoreError { return error.code } catch { return "\(error)" }
        }
        #expect(code("") == "csv_empty")
        #expect(code("\(Self.header)\n\n") == "csv_empty")
        #expect(code("\(Self.header)\nD-1,\"A B,1,EUR,2026-01-01\n") == "csv_malformed")
        #expect(code("\(Self.header)\nD-1,\"A\"B,1,EUR,2026-01-01\n") == "csv_malformed")

        var latin1 = Data("\(Self.header)\nD-1,".utf8)
        latin1.append(contentsOf: [0x48, 0xE9, 0x6C, 0xE8, 0x6E, 0x65])  // "Hélène" in Latin-1.
        latin1.append(contentsOf: Data(",1,EUR,2026-01-01\n".utf8))
        let error = try #require(throws: HomeshoreError.self) {
            try withTemporaryFile(latin1) { try DossierCSV.parse(fileAt: $0) }
        }
        #expect(error.code == "csv_not_utf8")
        #expect(error.message.contains("Line 2"))

        let missing = try #require(throws: HomeshoreError.self) { try DossierCSV.parse(fileAt: "/nonexistent/portfolio.csv") }
        #expect(missing.code == "file_unreadable")
    }

    @Test func sampleFileParsesCleanlyAndIsDeterministic() throws {
        let csv = SampleDossiers.csv(count: 1_000, seed: 42)
        #expect(csv == SampleDossiers.csv(count: 1_000, seed: 42))
        #expect(csv != SampleDossiers.csv(count: 1_000, seed: 43))
        let result = try DossierCSV.parse(string: csv)
        #expect(result.rows.count == 1_000)
        #expect(result.ignoredColumns.isEmpty)
        #expect(result.rows.first?.reference == "D-000001")
        #expect(result.rows.contains { $0.debtorType == "company" })
        #expect(result.rows.contains { $0.timezone == "America/Martinique" || $0.timezone == "Indian/Reunion" })
        #expect(result.rows.contains { $0.address?.contains("\n") == true })
        #expect(result.rows.allSatisfy { (4_500...1_200_000).contains($0.amountDue) && $0.dueDate < "2026-11-30" })
        #expect(result.rows.allSatisfy { row in row.letterDate.map { $0 > row.dueDate } ?? true })
    }

    @Test func largeFileParsesWithProgress() throws {
        let reports = ProgressLog()
        let result = try withTemporaryFile(Data(SampleDossiers.csv(count: 100_000, seed: 7).utf8)) {
            try DossierCSV.parse(fileAt: $0) { reports.append($0) }
        }
        #expect(result.rows.count == 100_000)
        #expect(reports.values.count == 100)
        #expect(reports.values.last == 100_000)
    }
}

private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int] = []
    func append(_ value: Int) { lock.withLock { stored.append(value) } }
    var values: [Int] { lock.withLock { stored } }
}

/// Writes `data` to a fresh temporary file, hands its path to `body`, then deletes it.
private func withTemporaryFile<T>(_ data: Data, _ body: (String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homeshore-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("portfolio.csv")
    try data.write(to: url)
    return try body(url.path)
}
