/// Rows of a portfolio file that passed every check.
public struct DossierCSVResult: Sendable {
    public let rows: [DossierImportRow]
    /// Header names (as written, trimmed) that Homeshore does not know and did not read.
    public let ignoredColumns: [String]

    public init(rows: [DossierImportRow], ignoredColumns: [String]) {
        self.rows = rows
        self.ignoredColumns = ignoredColumns
    }
}
