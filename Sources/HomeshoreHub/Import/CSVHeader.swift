import HomeshoreCore

/// Where each known column sits in a file's header row.
struct CSVHeader<Column: CSVColumn> {
    let cellCount: Int
    /// Indexed by `Column.rawValue`; nil when the file lacks the column.
    private let positions: [Int?]
    /// Header names (as written, trimmed) that are not columns of this kind of file.
    let ignoredColumns: [String]

    init(cells: [String]) throws {
        var positions = [Int?](repeating: nil, count: Column.allCases.count)
        var ignored: [String] = []
        var seen: [String: Int] = [:]
        for (index, raw) in cells.enumerated() {
            let name = CSVText.trimmed(raw)
            let key = name.lowercased()
            guard !key.isEmpty else { continue }  // A trailing comma in the header names no column.
            if let first = seen[key] {
                throw HomeshoreError("csv_duplicate_column",
                                     "The header names the column \(name) twice (cells \(first + 1) and \(index + 1)); keep only one.")
            }
            seen[key] = index
            if let column = Column(name: key) {
                positions[column.rawValue] = index
            } else {
                ignored.append(name)
            }
        }
        let required = Column.required
        let missing = required.filter { positions[$0.rawValue] == nil }.map(\.name)
        if !missing.isEmpty {
            let list = missing.joined(separator: ", ")
            let noun = missing.count == 1 ? "column" : "columns"
            let found = cells.map(CSVText.trimmed).filter { !$0.isEmpty }.joined(separator: ", ")
            throw HomeshoreError("csv_missing_column",
                                 "The header row has no \(noun) \(list). Required columns: "
                                 + required.map(\.name).joined(separator: ", ")
                                 + "; the header row has: \(found.isEmpty ? "nothing" : found).")
        }
        self.cellCount = cells.count
        self.positions = positions
        self.ignoredColumns = ignored
    }

    func position(of column: Column) -> Int? { positions[column.rawValue] }
}
