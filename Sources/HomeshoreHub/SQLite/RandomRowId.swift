/// Version-4 UUIDs in lower case, as every dossier id is written. Foundation's `UUID()` opens the
/// system's random device for each identifier on Linux, which was a tenth of a 100,000-row import;
/// the system generator here draws from the same source without a file per call.
struct RandomRowId {
    private var generator = SystemRandomNumberGenerator()
    private static let digits = Array("0123456789abcdef".utf8)

    mutating func next() -> String {
        let high: UInt64 = (generator.next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000  // version 4
        let low: UInt64 = (generator.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        for (index, word) in [high, low].enumerated() {
            for nibble in 0..<16 {
                let position = index * 16 + nibble
                if position == 8 || position == 12 || position == 16 || position == 20 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(Self.digits[Int(word >> UInt64(60 - 4 * nibble) & 0xF)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
