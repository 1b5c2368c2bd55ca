/// One checked line of a payments file, ready for the store to match to its dossier.
public struct PaymentImportRow: Sendable, Equatable {
    /// Physical line where the record starts (the header is line 1).
    public var line: Int
    public var reference: String
    /// Narrows the match when the same reference exists in several portfolios.
    public var portfolio: String?
    /// As written, trimmed: the store parses it with the dossier's currency (the file's check used
    /// `currency`, or EUR when absent, which may have different decimals).
    public var amountText: String
    /// Upper-cased if given.
    public var currency: String?
    /// YYYY-MM-DD, not after the import day.
    public var paidOn: String
    /// The creditor's identifier for the payment; importing it again must not count it twice.
    public var paymentId: String?

    public init(line: Int, reference: String, portfolio: String? = nil, amountText: String, currency: String? = nil,
                paidOn: String, paymentId: String? = nil) {
        self.line = line
        self.reference = reference
        self.portfolio = portfolio
        self.amountText = amountText
        self.currency = currency
        self.paidOn = paidOn
        self.paymentId = paymentId
    }
}
