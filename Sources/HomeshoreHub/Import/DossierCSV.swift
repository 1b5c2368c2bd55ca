import Foundation
import HomeshoreCore

/// Reads a creditor's portfolio file (UTF-8 CSV with a header row) into validated dossier rows.
/// All or nothing: any bad row makes it throw `ImportFailure` listing every problem.
public enum DossierCSV {
    public static func parse(fileAt path: String, progress: (@Sendable (Int) -> Void)? = nil) throws -> DossierCSVResult {
        try checkReadable(path)
        guard let stream = InputStream(fileAtPath: path) else {
            throw HomeshoreError("file_unreadable", "The file \(path) could not be opened.")
        }
        return try parse(stream, progress: progress)
    }

    public static func parse(string: String, progress: (@Sendable (Int) -> Void)? = nil) throws -> DossierCSVResult {
        try parse(InputStream(data: Data(string.utf8)), progress: progress)
    }

    private static func parse(_ stream: InputStream, progress: (@Sendable (Int) -> Void)?) throws -> DossierCSVResult {
        stream.open()
        defer { stream.close() }
        guard stream.streamStatus == .open else {
            throw HomeshoreError("file_unreadable", "The file could not be opened"
                                 + (stream.streamError.map { " (\($0.localizedDescription))" } ?? "") + ".")
        }
        var records = CSVRecordReader(stream: stream)
        func nextRecord() throws -> CSVRecord? {
            while let record = try records.next() {
                // Blank lines, and rows of empty cells that spreadsheets leave at the end, carry no dossier.
                if record.cells.allSatisfy({ DossierCSVText.trimmed($0).isEmpty }) { continue }
                return record
            }
            return nil
        }

        guard let headerRecord = try nextRecord() else {
            throw HomeshoreError("csv_empty", "The file is empty; it needs a header row and at least one dossier.")
        }
        let header = try DossierCSVHeader(cells: headerRecord.cells)
        var rowReader = DossierRowReader(header: header)
        var rows: [DossierImportRow] = []
        var problems: [ImportProblem] = []
        var recordCount = 0
        while let record = try nextRecord() {
            if let row = rowReader.read(record, problems: &problems) { rows.append(row) }
            recordCount += 1
            if recordCount % 1000 == 0 { progress?(recordCount) }
        }
        guard recordCount > 0 else {
            throw HomeshoreError("csv_empty", "The file has a header row but no dossiers.")
        }
        guard problems.isEmpty else { throw ImportFailure(problems: problems) }
        return DossierCSVResult(rows: rows, ignoredColumns: header.ignoredColumns)
    }

    private static func checkReadable(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HomeshoreError("file_unreadable", "There is no file at \(path).")
        }
        guard !isDirectory.boolValue else {
            throw HomeshoreError("file_unreadable", "\(path) is a folder, not a CSV file.")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw HomeshoreError("file_unreadable", "The file \(path) cannot be read (check its permissions).")
        }
    }
}
