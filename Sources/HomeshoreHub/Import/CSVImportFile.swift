import Foundation
import HomeshoreCore

/// Turns records into validated rows of one kind of import file, reporting every bad cell.
protocol CSVRowReading {
    associatedtype Column: CSVColumn
    associatedtype Row
    mutating func read(_ record: CSVRecord, problems: inout [ImportProblem]) -> Row?
}

/// What every import file goes through, whatever its rows hold: opening, the header row, skipping
/// blank lines, progress, and the all-or-nothing rule (any bad row throws `ImportFailure`).
enum CSVImportFile {
    /// A stream over the file at `path`, after clear errors for a missing file, a folder or no permission.
    static func stream(fileAt path: String) throws -> InputStream {
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
        guard let stream = InputStream(fileAtPath: path) else {
            throw HomeshoreError("file_unreadable", "The file \(path) could not be opened.")
        }
        return stream
    }

    static func stream(string: String) -> InputStream { InputStream(data: Data(string.utf8)) }

    /// Reads the header row, then every record through the reader `makeReader` builds for that header.
    /// `noun` names what a row is ("dossier", "dossiers") in the messages for a file without rows.
    static func rows<Reader: CSVRowReading>(
        from stream: InputStream, noun: (one: String, many: String), progress: (@Sendable (Int) -> Void)?,
        reader makeReader: (CSVHeader<Reader.Column>) -> Reader
    ) throws -> (rows: [Reader.Row], header: CSVHeader<Reader.Column>) {
        stream.open()
        defer { stream.close() }
        guard stream.streamStatus == .open else {
            throw HomeshoreError("file_unreadable", "The file could not be opened"
                                 + (stream.streamError.map { " (\($0.localizedDescription))" } ?? "") + ".")
        }
        var records = CSVRecordReader(stream: stream)
        func nextRecord() throws -> CSVRecord? {
            while let record = try records.next() {
                // Blank lines, and rows of empty cells that spreadsheets leave at the end, carry no data.
                if record.cells.allSatisfy({ CSVText.trimmed($0).isEmpty }) { continue }
                return record
            }
            return nil
        }

        guard let headerRecord = try nextRecord() else {
            throw HomeshoreError("csv_empty", "The file is empty; it needs a header row and at least one \(noun.one).")
        }
        let header = try CSVHeader<Reader.Column>(cells: headerRecord.cells)
        var reader = makeReader(header)
        var rows: [Reader.Row] = []
        var problems: [ImportProblem] = []
        var recordCount = 0
        while let record = try nextRecord() {
            if let row = reader.read(record, problems: &problems) { rows.append(row) }
            recordCount += 1
            if recordCount % 1000 == 0 { progress?(recordCount) }
        }
        guard recordCount > 0 else {
            throw HomeshoreError("csv_empty", "The file has a header row but no \(noun.many).")
        }
        guard problems.isEmpty else { throw ImportFailure(problems: problems) }
        return (rows, header)
    }
}
