import Foundation

/// `application/x-www-form-urlencoded` text, as browsers send forms (in a query or a POST body):
/// `+` is a space, the rest percent-encoded. The first of repeated names wins.
struct FormFields: Sendable {
    private(set) var values: [String: String] = [:]

    init(_ text: String?) {
        guard let text else { return }
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), values[name] == nil else { continue }
            // An undecodable value is kept as nil-equivalent empty text rather than guessed at.
            values[name] = parts.count == 2 ? (Self.decode(parts[1]) ?? "") : ""
        }
    }

    subscript(_ name: String) -> String? { values[name] }

    /// The trimmed value, nil when absent or blank (an empty form field means "not set").
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    private static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
