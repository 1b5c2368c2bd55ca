import Foundation

/// What an admin hands an agent: `hs1.` + base64url(JSON) carrying the hub URL, the fingerprint of
/// the hub's CA (the only CA the client will trust for that hub) and a one-time secret.
public struct EnrollmentToken: Codable, Sendable, Equatable {
    public static let prefix = "hs1."

    public var url: String
    public var fingerprint: String
    public var secret: String

    public init(url: String, fingerprint: String, secret: String) {
        self.url = url
        self.fingerprint = fingerprint
        self.secret = secret
    }

    public var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(self)) ?? Data()
        return Self.prefix + Base64URL.encode(Array(json))
    }

    public init(decoding text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let invalid = HomeshoreError("invalid_token", "This is not a Homeshore enrollment token (it should start with \"hs1.\" and be copied whole).")
        guard trimmed.hasPrefix(Self.prefix), trimmed.count < 2048,
              let bytes = Base64URL.decode(String(trimmed.dropFirst(Self.prefix.count))),
              let token = try? JSONDecoder().decode(EnrollmentToken.self, from: Data(bytes))
        else { throw invalid }
        guard let url = URL(string: token.url), url.scheme == "https", url.host != nil else {
            throw HomeshoreError("invalid_token", "The enrollment token names a hub address that is not an https:// URL.")
        }
        guard token.fingerprint.count == 64, token.fingerprint.allSatisfy(\.isHexDigit), !token.secret.isEmpty else { throw invalid }
        self = token
    }
}

public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
