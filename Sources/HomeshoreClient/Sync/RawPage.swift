import Foundation
import HomeshoreCore

/// The hub's own JSON text of each dossier and event in a sync answer, found by one pass over the
/// body. Apply stores these texts as they came instead of encoding again what was just decoded:
/// on a first sync that re-encoding was the largest part of the client's apply (issue 10). The
/// hub writes records with the same `WireJSON` encoder the client would use, so the stored text is
/// the same kind of text; when the answer cannot be sliced, apply encodes as before.
struct RawPage: Sendable, Equatable {
    /// `upserts[i].dossier`.
    var dossiers: [String]
    /// `upserts[i].events[j]`.
    var events: [[String]]

    /// The slices of a sync answer's body, or nil when it is not the expected shape.
    static func scan(_ data: Data) -> RawPage? {
        data.withUnsafeBytes { buffer -> RawPage? in
            let slicer = JSONSlicer(buffer.bindMemory(to: UInt8.self))
            var dossiers: [String] = []
            var events: [[String]] = []
            do {
                try slicer.object { key in
                    guard key == "upserts" else { _ = try slicer.skipValue(); return }
                    try slicer.array {
                        var dossier: String?
                        var texts: [String] = []
                        try slicer.object { key in
                            switch key {
                            case "dossier": dossier = slicer.text(try slicer.skipValue())
                            case "events": try slicer.array { texts.append(slicer.text(try slicer.skipValue())) }
                            default: _ = try slicer.skipValue()
                            }
                        }
                        guard let dossier else { throw JSONSlicer.Malformed() }
                        dossiers.append(dossier)
                        events.append(texts)
                    }
                }
            } catch {
                return nil
            }
            return RawPage(dossiers: dossiers, events: events)
        }
    }

    /// Whether these slices are those of `response` (same upserts, same events), so they can stand for them.
    func matches(_ response: SyncResponse) -> Bool {
        dossiers.count == response.upserts.count && zip(events, response.upserts).allSatisfy { $0.count == $1.events.count }
    }
}

/// A minimal reader of JSON structure (not values): it finds where each value starts and ends.
/// The body was already decoded by `JSONDecoder`, so it is valid JSON; this only has to be right
/// about strings (escapes) and nesting.
final class JSONSlicer {
    struct Malformed: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, comma: UInt8 = 0x2C, colon: UInt8 = 0x3A
    private static let openObject: UInt8 = 0x7B, closeObject: UInt8 = 0x7D, openArray: UInt8 = 0x5B, closeArray: UInt8 = 0x5D

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    private func skipSpace() { while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 } }

    private func next() throws -> UInt8 {
        skipSpace()
        guard index < bytes.count else { throw Malformed() }
        return bytes[index]
    }

    private func expect(_ byte: UInt8) throws {
        guard try next() == byte else { throw Malformed() }
        index += 1
    }

    func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }

    /// A string's bytes between its quotes (escapes left as they are).
    private func string() throws -> Range<Int> {
        try expect(Self.quote)
        let start = index
        guard let end = Self.endOfString(bytes, from: index) else { throw Malformed() }
        index = end + 1
        return start..<end
    }

    /// Where the string whose content starts at `from` ends (its closing quote). The hot loops work
    /// on locals: a class's stored property would be checked for exclusive access at every byte.
    private static func endOfString(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if byte == backslash {
                i += 2
            } else if byte == quote {
                return i
            } else {
                i += 1
            }
        }
        return nil
    }

    /// Skips one value and returns where it lies.
    func skipValue() throws -> Range<Int> {
        let first = try next()
        let start = index
        let count = bytes.count
        var i = index
        switch first {
        case Self.quote:
            guard let end = Self.endOfString(bytes, from: i + 1) else { throw Malformed() }
            i = end + 1
        case Self.openObject, Self.openArray:
            var depth = 0
            scan: while true {
                guard i < count else { throw Malformed() }
                switch bytes[i] {
                case Self.quote:
                    guard let end = Self.endOfString(bytes, from: i + 1) else { throw Malformed() }
                    i = end
                case Self.openObject, Self.openArray: depth += 1
                case Self.closeObject, Self.closeArray:
                    depth -= 1
                    if depth == 0 {
                        i += 1
                        break scan
                    }
                default: break
                }
                i += 1
            }
        default:
            while i < count {
                let byte = bytes[i]
                if byte == Self.comma || byte == Self.closeObject || byte == Self.closeArray || Self.isSpace(byte) { break }
                i += 1
            }
        }
        index = i
        return start..<i
    }

    /// Calls `body` with each key of an object, the value next; `body` must read or skip the value.
    func object(_ body: (String) throws -> Void) throws {
        try expect(Self.openObject)
        if try next() == Self.closeObject {
            index += 1
            return
        }
        while true {
            let key = text(try string())
            try expect(Self.colon)
            try body(key)
            switch try next() {
            case Self.comma: index += 1
            case Self.closeObject:
                index += 1
                return
            default: throw Malformed()
            }
        }
    }

    /// Calls `body` for each element of an array; `body` must read or skip the element.
    func array(_ body: () throws -> Void) throws {
        try expect(Self.openArray)
        if try next() == Self.closeArray {
            index += 1
            return
        }
        while true {
            try body()
            switch try next() {
            case Self.comma: index += 1
            case Self.closeArray:
                index += 1
                return
            default: throw Malformed()
            }
        }
    }
}
