import Crypto

/// Certificate fingerprints as printed in enrollment tokens and compared by clients.
public enum Fingerprint {
    /// Lowercase hex SHA-256 of DER bytes (64 characters).
    public static func sha256Hex(der: [UInt8]) -> String {
        let hexDigits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: der) {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
        return out
    }
}
