/// A file with bad rows: nothing is imported, and every problem is listed so it can all be fixed in one go.
public struct ImportFailure: Error, CustomStringConvertible, Sendable {
    /// Sorted by line.
    public let problems: [ImportProblem]

    public init(problems: [ImportProblem]) {
        // Stable on line so a row's problems keep their column order.
        self.problems = problems.enumerated()
            .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element)
    }

    /// Number of distinct rows with at least one problem.
    public var badRowCount: Int { Set(problems.map(\.line)).count }

    public var description: String {
        let count = badRowCount
        let head = "The file has \(count) bad \(count == 1 ? "row" : "rows"); nothing was imported."
        return ([head] + problems.map(\.description)).joined(separator: "\n")
    }
}
