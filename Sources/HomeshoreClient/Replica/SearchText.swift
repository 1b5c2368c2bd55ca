/// How phone numbers and typed text become search terms: digits only, with French numbers also
/// indexed in their national form so `0612` finds `+33 6 12 …`.
enum SearchText {
    static func phoneForms(_ phone: String) -> [String] {
        let digits = phone.filter(\.isNumber)
        guard !digits.isEmpty else { return [] }
        if digits.hasPrefix("33") && digits.count == 11 { return [digits, "0" + digits.dropFirst(2)] }
        return [digits]
    }

    /// An FTS5 query matching every typed word as a prefix; quotes keep user text from being parsed as syntax.
    static func matchQuery(_ text: String) -> String? {
        let phoneish = Set("0123456789 +-.()")
        if text.contains(where: \.isNumber) && text.allSatisfy({ phoneish.contains($0) }) {
            return phoneForms(text).map { "\"" + $0 + "\"*" }.joined(separator: " OR ")
        }
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "@" && $0 != "." && $0 != "-" })
            .map { word -> String in
                let clean = word.replacingOccurrences(of: "\"", with: "")
                return "\"" + clean + "\"*"
            }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
