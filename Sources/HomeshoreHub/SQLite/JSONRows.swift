import GRDB

/// Rows handed to one statement as a single JSON array of arrays, read back with `json_each` and
/// `json_extract(value, '$[i]')`: one cached statement writes a batch of any size, where a statement
/// per row made settling 100,000 dossiers cost a minute.
struct JSONRows {
    private(set) var text = "["
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }
    /// The array to bind; "[]" when no row was added.
    var json: String { text + "]" }

    mutating func append(_ values: [(any DatabaseValueConvertible)?]) {
        text += count == 0 ? "[" : ",["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            switch value?.databaseValue.storage ?? .null {
            case .null: text += "null"
            case .int64(let number): text += String(number)
            case .double(let number): text += String(number)
            case .string(let string): Self.quote(string, into: &text)
            case .blob: text += "null"  // Never bound here: the store keeps no blobs.
            }
        }
        text += "]"
        count += 1
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as is.
    static func quote(_ string: String, into text: inout String) {
        text += "\""
        var plain = true
        for byte in string.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            text += string
        } else {
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
