/// The columns one kind of import file may have. Int-backed so a header's positions can live in a
/// plain array: the lookup runs once per cell of every row.
protocol CSVColumn: RawRepresentable<Int>, CaseIterable, Sendable where AllCases == [Self] {
    /// The header name, as users write it (matched case-insensitively).
    var name: String { get }
    var isRequired: Bool { get }
    /// Limits keep one runaway cell (a pasted e-mail thread, a broken export) out of the database and the UI.
    var maxLength: Int { get }
    /// Only free-text cells may hold line breaks; elsewhere a control character is a broken export.
    var allowsLineBreaks: Bool { get }
}

extension CSVColumn {
    init?(name: String) {
        guard let column = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = column
    }

    static var required: [Self] { allCases.filter(\.isRequired) }
}
