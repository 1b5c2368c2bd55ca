import Foundation
import HomeshoreCore

/// One CSV record and where it came from.
struct CSVRecord {
    /// Physical line the record starts on (1-based).
    let line: Int
    let cells: [String]
    /// False when no cell holds a control character or line break, which spares a per-character check.
    let mayHaveControlCharacters: Bool
}

/// Streams a CSV file as records, each with the physical line it starts on.
///
/// The bytes are read in blocks and scanned once here: for UTF-8 validity (CSV.swift stops silently at a
/// bad byte), for quoting CSV.swift would garble instead of reject (an unterminated quote, text after a
/// closing quote), and for where records start, honouring quotes, which gives exact line numbers.
/// Runs of whole records are then cut into cells by `CSVCellSplitter`, by the same rules, straight
/// from the bytes; memory stays bounded.
struct CSVRecordReader {
    private let stream: InputStream
    private var scanner = CSVRecordScanner()
    private var block: [UInt8]
    /// Bytes read but not yet split into cells; always starts at a record start.
    private var pending: [UInt8] = []
    /// How much of `pending` the scanner has seen.
    private var scanned = 0
    private var checkedStart = false
    private var atEnd = false

    private var records: [[String]] = []
    private var recordLines: [Int] = []
    private var recordFlags: [Bool] = []
    private var recordIndex = 0

    /// `blockSize` is only changed by tests, to put block edges inside CRLFs, quotes and UTF-8 sequences.
    init(stream: InputStream, blockSize: Int = 64 * 1024) {
        self.stream = stream
        self.block = [UInt8](repeating: 0, count: blockSize)
    }

    mutating func next() throws -> CSVRecord? {
        while true {
            if recordIndex < records.count {
                // The scanner and the splitter split records by the same rules; disagreeing would misnumber lines.
                guard recordIndex < recordLines.count else { throw splitMismatch() }
                defer { recordIndex += 1 }
                return CSVRecord(line: recordLines[recordIndex], cells: records[recordIndex],
                                 mayHaveControlCharacters: recordFlags[recordIndex])
            }
            if recordIndex != recordLines.count { throw splitMismatch() }
            guard let chunk = try nextChunk() else { return nil }
            records = chunk.cells
            (recordLines, recordFlags) = chunk.records
            recordIndex = 0
        }
    }

    private mutating func nextChunk() throws -> (cells: [[String]], records: (lines: [Int], flags: [Bool]))? {
        let stream = self.stream
        while !atEnd {
            let count = block.withUnsafeMutableBufferPointer { stream.read($0.baseAddress!, maxLength: $0.count) }
            if count < 0 {
                throw HomeshoreError("file_unreadable", "The file could not be read to the end"
                                     + (stream.streamError.map { " (\($0.localizedDescription))" } ?? "") + ".")
            }
            if count == 0 { atEnd = true } else { pending.append(contentsOf: block[0..<count]) }
            if !checkedStart {
                guard pending.count >= 3 || atEnd else { continue }
                pending.removeFirst(try Self.byteOrderMarkLength(pending))
                checkedStart = true
            }
            try scanner.scan(pending, from: scanned)
            scanned = pending.count
            if atEnd {
                try scanner.finish()
                break
            }
            // Hand out everything before the last record start; the rest may be an incomplete record.
            if let cut = scanner.lastRecordStart, cut > 0 { return take(upTo: cut) }
        }
        return pending.isEmpty ? nil : take(upTo: pending.count)
    }

    private mutating func take(upTo cut: Int) -> (cells: [[String]], records: (lines: [Int], flags: [Bool])) {
        let cells = CSVCellSplitter.records(pending[0..<cut])
        let records = scanner.takeRecords(before: cut)
        pending.removeFirst(cut)
        scanned -= cut
        return (cells, records)
    }

    private static func byteOrderMarkLength(_ bytes: [UInt8]) throws -> Int {
        let head = Array(bytes.prefix(3))
        if head.count >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF) {
            throw HomeshoreError("csv_not_utf8", "The file is UTF-16 text, not UTF-8. Save it as \"CSV UTF-8\" and import it again.")
        }
        return head == [0xEF, 0xBB, 0xBF] ? 3 : 0
    }

    private func splitMismatch() -> HomeshoreError {
        HomeshoreError("csv_malformed", "The file could not be split into rows near line \(recordLines.first ?? 1); check its quotes.")
    }
}
