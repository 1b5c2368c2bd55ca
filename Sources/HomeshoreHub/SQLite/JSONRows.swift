import GRDB

/// Rows handed to one statement as a single JSON array of arrays, read back with `json_each` and
/// `json_extract(value, '$[i]')`: one cached statement writes a batch of any size, where a statement
/// per row made settling 100,000 dossiers cost a minute. Written with the pull's `JSONWriter`.
struct JSONRows {
    private var writer = JSONWriter(capacity: 4096)
    private(set) var count = 0

    init() { writer.openArray() }

    var isEmpty: Bool { count == 0 }
    /// The array to bind; "[]" when no row was added.
    var json: String { String(decoding: writer.bytes + [UInt8(ascii: "]")], as: UTF8.self) }

    mutating func append(_ values: [(any DatabaseValueConvertible)?]) {
        writer.openArray()
        for value in values {
            switch value?.databaseValue.storage ?? .null {
            case .null: writer.json("null".utf8)
            case .int64(let number): writer.integer(number)
            case .double(let number): writer.json(String(number).utf8)
            case .string(let string): writer.string(string)
            case .blob: writer.json("null".utf8)  // Never bound here: the store keeps no blobs.
            }
        }
        writer.closeArray()
        count += 1
    }
}
