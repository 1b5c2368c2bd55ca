/// Small text helpers for cells, written to stay cheap on 100,000-row files.
enum CSVText {
    /// Trims Unicode whitespace (including line breaks and NBSP) around a cell.
    static func trimmed(_ text: String) -> String {
        // Fast path: most cells start and end with a visible ASCII byte.
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        if first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F { return text }
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }

    /// C0 controls, DEL and C1 controls (U+0080–U+009F, encoded C2 80–C2 9F), checked on bytes for speed.
    static func hasControlCharacter(_ text: String, allowingLineBreaks: Bool) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte < 0x20 {
                if !(allowingLineBreaks && (byte == 0x0A || byte == 0x0D || byte == 0x09)) { return true }
            } else if byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
                return true
            }
            previous = byte
        }
        return false
    }

    /// A cell value as shown inside a problem message: quoted, short, control characters made visible.
    static func shown(_ text: String) -> String {
        var visible = ""
        for scalar in text.unicodeScalars.prefix(60) {
            if scalar.properties.generalCategory == .control {
                visible += scalar == "\n" ? "\\n" : scalar == "\r" ? "\\r" : scalar == "\t" ? "\\t"
                    : "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                visible.unicodeScalars.append(scalar)
            }
        }
        if text.unicodeScalars.count > 60 { visible += "…" }
        return "\"" + visible + "\""
    }
}
