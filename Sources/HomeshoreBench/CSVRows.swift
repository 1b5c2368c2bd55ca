import CSV
import Foundation
import HomeshoreCore

/// A CSV file's data rows, for the baselines that insert the same values without any rule.
enum CSVRows {
    static func read(_ path: String) throws -> [[String]] {
        guard let stream = InputStream(fileAtPath: path) else {
            throw HomeshoreError("bench_csv_unreadable", "Cannot read \(path).")
        }
        let reader = try CSVReader(stream: stream, hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }
}
