extension DossierKey {
    /// `REF`, or `PORTFOLIO/REF` when the same reference exists in several portfolios.
    public static func parse(_ text: String, portfolio: String?) -> DossierKey {
        if portfolio == nil, let slash = text.firstIndex(of: "/") {
            return DossierKey(portfolio: String(text[..<slash]), reference: String(text[text.index(after: slash)...]))
        }
        return DossierKey(portfolio: portfolio, reference: text)
    }
}
