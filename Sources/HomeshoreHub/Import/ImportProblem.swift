/// One thing wrong with one row of an imported file, phrased so the user can fix the file.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    /// Physical line in the file (the header is line 1).
    public let line: Int
    /// Header name of the offending cell; nil when the problem is the row as a whole.
    public let column: String?
    public let message: String

    public init(line: Int, column: String?, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if let column { "line \(line), column \(column): \(message)" } else { "line \(line): \(message)" }
    }
}
