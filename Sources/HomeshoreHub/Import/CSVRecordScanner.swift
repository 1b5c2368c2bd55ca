import HomeshoreCore

/// Byte-level pass over CSV text that mirrors CSV.swift's reading rules (a quote opens a field only as
/// its first character; `""` inside quotes is one quote; CR, LF or CRLF end a record) and reports
/// what CSV.swift would silently get wrong. Offsets are relative to the caller's pending buffer.
struct CSVRecordScanner {
    private enum State { case betweenRecords, fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.betweenRecords
    private var line = 1
    private var previousWasCR = false
    private var quoteLine = 1
    // UTF-8 decoding: continuation bytes still expected, the allowed range of the next one, and where the sequence began.
    private var continuations = 0
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF
    private var sequenceLine = 1
    private var previousByte: UInt8 = 0
    private var startOffsets: [Int] = []
    private var startLines: [Int] = []
    private var startFlags: [Bool] = []

    /// Offset of the latest record start seen; everything before it is whole records.
    var lastRecordStart: Int? { startOffsets.last }

    mutating func scan(_ bytes: [UInt8], from first: Int) throws {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        try bytes.withUnsafeBufferPointer { buffer in
            for offset in first..<buffer.count {
                let byte = buffer[offset]
                if continuations > 0 || byte >= 0x80 { try decode(byte) }
                switch state {
                case .betweenRecords:
                    if byte == lf && previousWasCR { break }  // The LF of a CRLF that ended the last record.
                    startOffsets.append(offset)
                    startLines.append(line)
                    startFlags.append(false)
                    fallthrough
                case .fieldStart:
                    if byte == quote {
                        state = .quoted
                        quoteLine = line
                    } else if byte == cr || byte == lf {
                        state = .betweenRecords
                    } else {
                        state = byte == comma ? .fieldStart : .unquoted
                    }
                case .unquoted:
                    if byte == comma {
                        state = .fieldStart
                    } else if byte == cr || byte == lf {
                        state = .betweenRecords
                    }
                case .quoted:
                    if byte == quote {
                        state = .quoteInQuoted
                    } else if byte == cr || byte == lf {
                        startFlags[startFlags.count - 1] = true
                    }
                case .quoteInQuoted:
                    if byte == quote {
                        state = .quoted
                    } else if byte == comma {
                        state = .fieldStart
                    } else if byte == cr || byte == lf {
                        state = .betweenRecords
                    } else {
                        throw HomeshoreError("csv_malformed", "Line \(line) has text right after a closing quote; "
                                             + "inside a quoted cell write a quote as two quotes (\"\").")
                    }
                }
                if (byte < 0x20 && byte != cr && byte != lf) || byte == 0x7F || (previousByte == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
                    startFlags[startFlags.count - 1] = true
                }
                if byte == cr || (byte == lf && !previousWasCR) { line += 1 }
                previousWasCR = byte == cr
                previousByte = byte
            }
        }
    }

    /// For the records starting before `cut`, which the caller is handing out: the line each starts on,
    /// and whether it holds a control character or a line break inside a cell (most never do, so cells
    /// need no character-by-character check). Later offsets shift down by `cut`.
    mutating func takeRecords(before cut: Int) -> (lines: [Int], flags: [Bool]) {
        let count = startOffsets.firstIndex { $0 >= cut } ?? startOffsets.count
        let taken = (Array(startLines[0..<count]), Array(startFlags[0..<count]))
        startLines.removeFirst(count)
        startFlags.removeFirst(count)
        startOffsets.removeFirst(count)
        for index in startOffsets.indices { startOffsets[index] -= cut }
        return taken
    }

    func finish() throws {
        if continuations > 0 { throw notUTF8(at: sequenceLine) }
        if state == .quoted {
            throw HomeshoreError("csv_malformed", "A quoted cell opened on line \(quoteLine) is never closed; "
                                 + "add the missing quote (\") and import again.")
        }
    }

    private mutating func decode(_ byte: UInt8) throws {
        if continuations > 0 {
            guard byte >= low && byte <= high else { throw notUTF8(at: sequenceLine) }
            continuations -= 1
            low = 0x80
            high = 0xBF
            return
        }
        sequenceLine = line
        switch byte {
        case 0xC2...0xDF: continuations = 1
        case 0xE0: continuations = 2; low = 0xA0  // No overlong forms.
        case 0xE1...0xEC, 0xEE, 0xEF: continuations = 2
        case 0xED: continuations = 2; high = 0x9F  // No UTF-16 surrogates.
        case 0xF0: continuations = 3; low = 0x90
        case 0xF1...0xF3: continuations = 3
        case 0xF4: continuations = 3; high = 0x8F  // Nothing above U+10FFFF.
        default: throw notUTF8(at: line)
        }
    }

    private func notUTF8(at line: Int) -> HomeshoreError {
        HomeshoreError("csv_not_utf8", "Line \(line) has bytes that are not UTF-8 text. "
                       + "Save the file as \"CSV UTF-8\" and import it again.")
    }
}
