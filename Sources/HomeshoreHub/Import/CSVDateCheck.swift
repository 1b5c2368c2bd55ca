import HomeshoreCore

/// `CalendarDate.isValid` for the cells of one file, remembered: a portfolio's due dates, letter
/// dates and payment days repeat across thousands of rows, and each check splits the text anew.
final class CSVDateCheck {
    private var known: [String: Bool] = [:]

    func isValid(_ text: String) -> Bool {
        if let answer = known[text] { return answer }
        let answer = CalendarDate.isValid(text)
        // A file of distinct bad dates must not grow this without bound.
        if known.count < 10_000 { known[text] = answer }
        return answer
    }
}
