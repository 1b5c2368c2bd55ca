import Foundation

/// Appends JSON text to a byte array: what a pull page is written with (see `SyncResponseJSON`).
/// Callers give WireJSON's snake_case keys in sorted order, as its encoder writes them; members
/// whose value is nil are left out, as Codable leaves them out.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// For each open object or array: whether its next element needs a comma before it.
    private var needsComma: [Bool] = []
    /// A key was written: the next value is its value, not a new element.
    private var afterKey = false

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func openObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    mutating func closeObject() { bytes.append(UInt8(ascii: "}")); needsComma.removeLast() }
    mutating func openArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    mutating func closeArray() { bytes.append(UInt8(ascii: "]")); needsComma.removeLast() }

    /// A member's key; its value follows.
    mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    private mutating func separate() {
        if afterKey { afterKey = false; return }
        guard let last = needsComma.indices.last else { return }
        if needsComma[last] { bytes.append(UInt8(ascii: ",")) }
        needsComma[last] = true
    }

    mutating func string(_ text: String) { separate(); appendString(text) }
    mutating func integer<T: BinaryInteger>(_ value: T) { separate(); bytes.append(contentsOf: String(value).utf8) }
    mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    /// JSON text written as it is (already encoded by WireJSON).
    mutating func json<C: Collection>(_ text: C) where C.Element == UInt8 { separate(); bytes.append(contentsOf: text) }

    mutating func member(_ name: String, _ value: String?) { if let value { key(name); string(value) } }
    mutating func member<T: BinaryInteger>(_ name: String, _ value: T?) { if let value { key(name); integer(value) } }
    mutating func member(_ name: String, _ value: Bool) { key(name); bool(value) }

    private mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            // Most text needs no escape: copy it whole.
            if utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
            } else {
                for byte in utf8 { escape(byte) }
            }
        }
        if copied == nil {
            for byte in text.utf8 { escape(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
        case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
        case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
        case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
        case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
        case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
        case ..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: #"\u00"#.utf8)
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0F)])
        default: bytes.append(byte)
        }
    }
}
