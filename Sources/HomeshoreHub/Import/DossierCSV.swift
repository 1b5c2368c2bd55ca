import Foundation
import HomeshoreCore

/// Reads a creditor's portfolio file (UTF-8 CSV with a header row) into validated dossier rows.
/// All or nothing: any bad row makes it throw `ImportFailure` listing every problem.
public enum DossierCSV {
    public static func parse(fileAt path: String, progress: (@Sendable (Int) -> Void)? = nil) throws -> DossierCSVResult {
        try parse(CSVImportFile.stream(fileAt: path), progress: progress)
    }

    public static func parse(string: String, progress: (@Sendable (Int) -> Void)? = nil) throws -> DossierCSVResult {
        try parse(CSVImportFile.stream(string: string), progress: progress)
    }

    private static func parse(_ stream: InputStream, progress: (@Sendable (Int) -> Void)?) throws -> DossierCSVResult {
        let (rows, header) = try CSVImportFile.rows(from: stream, noun: ("dossier", "dossiers"), progress: progress,
                                                    reader: DossierRowReader.init)
        return DossierCSVResult(rows: rows, ignoredColumns: header.ignoredColumns)
    }
}
