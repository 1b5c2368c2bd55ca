import Foundation

/// Escaping for text the hub writes into HTML and SVG by hand (mustache escapes the rest).
enum HTMLText {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// One path segment of a dashboard link (`/dossiers/P/REF`): references may hold `/`, `?` or spaces.
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#;%")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// One query value of a dashboard link.
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#;%?/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `?a=1&b=2` from the pairs whose value is set, or "" when none is.
    static func query(_ pairs: [(String, String?)]) -> String {
        let set = pairs.compactMap { name, value in value.map { "\(name)=\(queryValue($0))" } }
        return set.isEmpty ? "" : "?" + set.joined(separator: "&")
    }
}
