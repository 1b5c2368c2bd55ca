/// Reads fixed-width decimal fields. `Int("+1")` and `Int("-5")` succeed, so dates and times parsed
/// with it accepted `2027-+1-+5` and `T10:-5:00Z`; every date and time field goes through here instead.
enum ASCIIDigits {
    /// The value of `bytes` when every one of them is an ASCII digit (and there is at least one).
    static func value<Bytes: Collection>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func value(_ text: Substring) -> Int? { value(text.utf8) }
}
