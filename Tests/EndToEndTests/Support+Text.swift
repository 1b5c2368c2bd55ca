import Foundation

/// Reading what the binaries print: RFC 4180 CSV, aligned tables, enrollment tokens; and a bounded
/// polling wait for conditions that come true in another process.

/// Polls `condition` every `every` until it holds or `timeout` passes; returns whether it held.
func waitUntil(_ timeout: Duration, every: Duration = .milliseconds(100),
               _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        await pause(every)
    }
}

enum TextFormats {
    /// A strict RFC 4180 parser: fields separated by commas, records by LF or CRLF, quoted fields may
    /// hold commas, new lines and doubled quotes. A final line break ends the last record (it does not
    /// start an empty one). Throws on a quote inside an unquoted field or an unterminated quoted field.
    static func parseCSV(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false      // inside a quoted field
        var wasQuoted = false   // the current field started with a quote (and was closed)
        var atFieldStart = true
        var characters = Array(text.unicodeScalars)[...]
        func endField() {
            record.append(field)
            field = ""
            wasQuoted = false
            atFieldStart = true
        }
        func endRecord() {
            endField()
            records.append(record)
            record = []
        }
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" {
                        characters.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        wasQuoted = true
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                endField()
            case "\r" where characters.first == "\n":
                characters.removeFirst()
                endRecord()
            case "\n":
                endRecord()
            case "\"":
                guard atFieldStart else { throw E2EError("CSV: a quote inside an unquoted field, in record \(records.count + 1): \(field)") }
                quoted = true
                atFieldStart = false
            default:
                guard !wasQuoted else { throw E2EError("CSV: text after a closing quote, in record \(records.count + 1)") }
                field.unicodeScalars.append(c)
                atFieldStart = false
            }
        }
        guard !quoted else { throw E2EError("CSV: an unterminated quoted field in record \(records.count + 1)") }
        if !atFieldStart || !record.isEmpty || wasQuoted { endRecord() }
        return records
    }

    /// CSV with a header: one dictionary per row, after checking every row has the header's width.
    static func parseCSVObjects(_ text: String) throws -> (header: [String], rows: [[String: String]]) {
        let records = try parseCSV(text)
        guard let header = records.first else { throw E2EError("CSV: no header row in \(text.prefix(200))") }
        var rows: [[String: String]] = []
        for (index, record) in records.dropFirst().enumerated() {
            guard record.count == header.count else {
                throw E2EError("CSV: record \(index + 2) has \(record.count) fields, the header \(header.count): \(record)")
            }
            rows.append(Dictionary(uniqueKeysWithValues: zip(header, record)))
        }
        return (header, rows)
    }

    /// A JSON array of objects whose values are all strings (what `--format json` lists print).
    static func parseJSONObjects(_ text: String) throws -> [[String: String]] {
        guard let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
            throw E2EError("Not a JSON array: \(text.prefix(300))")
        }
        return try array.map { element in
            guard let object = element as? [String: Any] else { throw E2EError("Not a JSON object: \(element)") }
            return try object.mapValues { value in
                guard let string = value as? String else { throw E2EError("Not a string value: \(value) in \(object)") }
                return string
            }
        }
    }

    /// The character offsets at which the header line's words start (table headers have no spaces).
    static func columnStarts(header: String) -> [Int] {
        let characters = Array(header)
        return characters.indices.filter { characters[$0] != " " && ($0 == 0 || characters[$0 - 1] == " ") }
    }

    struct DecodedToken: Decodable {
        var url: String
        var fingerprint: String
        var secret: String
    }

    /// `hs1.` + base64url(JSON {url, fingerprint, secret}), decoded independently of the product's code.
    static func decodeEnrollmentToken(_ token: String) throws -> DecodedToken {
        guard token.hasPrefix("hs1.") else { throw E2EError("Not an hs1 token: \(token)") }
        var base64 = String(token.dropFirst(4)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { throw E2EError("The token's body is not base64url: \(token)") }
        return try JSONDecoder().decode(DecodedToken.self, from: data)
    }

    /// The lines of `text` containing `needle`.
    static func lines(of text: String, containing needle: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.contains(needle) }
    }
}
