/// The columns a payments file may have.
enum PaymentColumn: Int, CSVColumn {
    case reference, portfolio, amount, currency, paidOn, paymentId

    var name: String {
        switch self {
        case .reference: "reference"
        case .portfolio: "portfolio"
        case .amount: "amount"
        case .currency: "currency"
        case .paidOn: "paid_on"
        case .paymentId: "payment_id"
        }
    }

    var isRequired: Bool { self == .reference || self == .amount || self == .paidOn }

    /// Reference and portfolio match the dossier import's limits, so a longer one could never match a dossier.
    var maxLength: Int { self == .reference || self == .portfolio ? 64 : 100 }

    var allowsLineBreaks: Bool { false }
}
