import Foundation

/// PEM text for a DER certificate, matching what the hub writes (LF line endings, 64-column base64).
enum PEMCertificate {
    static func encode(der: [UInt8]) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n"
    }
}
