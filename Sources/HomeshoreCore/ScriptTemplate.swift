/// What a call is about; each situation has its own script, chosen per dossier.
/// The raw values are the script file names agencies write (`first-contact.md`…).
public enum Situation: String, CaseIterable, Codable, Sendable {
    case firstContact = "first-contact"
    case brokenPromise = "broken-promise"
    case planFollowUp = "plan-follow-up"
    case disputeFollowUp = "dispute-follow-up"
    case inbound
}

/// Call scripts are Markdown with `{{name}}` placeholders, filled in when an agent opens a dossier.
/// A placeholder closes on its own line; anything else is left as written and reported by `problems`.
public enum ScriptTemplate {
    /// The placeholders a script may use: debtor_name, balance, last_promise, letter_ref, letter_date.
    public static let placeholders = ["debtor_name", "balance", "last_promise", "letter_ref", "letter_date"]

    /// Replaces every {{name}} (spaces inside the braces allowed: {{ debtor_name }}) with values[name]; a missing value becomes "—".
    /// An empty value counts as missing too: a blank in a script read aloud is easy to miss, a dash is not.
    /// Values are inserted as they are, never rendered again, so a debtor's name holding "{{" stays text.
    public static func render(_ text: String, values: [String: String]) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for piece in pieces(of: text) {
            switch piece {
            case .text(let literal): output += literal
            case .placeholder(let name, _, _):
                let value = values[name] ?? ""
                output += value.isEmpty ? "—" : value
            case .unclosed: output += "{{"
            }
        }
        return output
    }

    /// Problems in a template: unknown placeholder or unclosed "{{", each with 1-based line and column.
    /// Columns count characters as the user sees them (an accented letter is one column).
    public static func problems(in text: String) -> [(line: Int, column: Int, message: String)] {
        var found: [(line: Int, column: Int, message: String)] = []
        for piece in pieces(of: text) {
            switch piece {
            case .text: break
            case .placeholder(let name, let line, let column):
                guard !placeholders.contains(name) else { continue }
                let what = name.isEmpty ? "an empty placeholder {{}}" : "unknown placeholder {{\(name.prefix(40))}}"
                found.append((line, column, "\(what); use one of \(placeholders.joined(separator: ", "))"))
            case .unclosed(let line, let column):
                found.append((line, column, "\"{{\" is not closed by \"}}\" on the same line"))
            }
        }
        return found
    }

    private enum Piece {
        case text(Substring)
        /// `name` is what sits between the braces, trimmed.
        case placeholder(name: String, line: Int, column: Int)
        /// A "{{" with no "}}" before the end of its line or the next "{{"; rendered as written.
        case unclosed(line: Int, column: Int)
    }

    /// Splits a template into text and placeholders, tracking where each placeholder starts.
    private static func pieces(of text: String) -> [Piece] {
        var pieces: [Piece] = []
        var line = 1, column = 1
        var textStart = text.startIndex
        var index = text.startIndex
        func flushText(upTo end: String.Index) {
            if textStart < end { pieces.append(.text(text[textStart..<end])) }
        }
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "{", next < text.endIndex, text[next] == "{" else {
                if character.isNewline {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                index = next
                continue
            }
            flushText(upTo: index)
            let contentStart = text.index(after: next)
            var cursor = contentStart
            var close: String.Index?
            while cursor < text.endIndex, !text[cursor].isNewline {
                let after = text.index(after: cursor)
                if after < text.endIndex, text[cursor] == text[after], text[cursor] == "}" || text[cursor] == "{" {
                    if text[cursor] == "}" { close = cursor }
                    break
                }
                cursor = after
            }
            if let close {
                let name = text[contentStart..<close].trimmingWhitespace()
                pieces.append(.placeholder(name: name, line: line, column: column))
                let end = text.index(close, offsetBy: 2)
                column += text.distance(from: index, to: end)
                index = end
            } else {
                pieces.append(.unclosed(line: line, column: column))
                column += 2
                index = contentStart
            }
            textStart = index
        }
        flushText(upTo: text.endIndex)
        return pieces
    }
}

private extension Substring {
    func trimmingWhitespace() -> String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return start < end ? String(self[start..<end]) : ""
    }
}
