import Foundation
import GRDB
import HomeshoreCore

/// What a payment row needs of the dossier it pays into.
struct PaidDossier {
    var id: String
    var portfolio: String
    var currency: String
    var status: String
}

extension SQLiteHubStore {
    /// The dossier a payment's key names, nil when none; an ambiguous key is an error naming the
    /// portfolios, as for every other command. A cached statement read by position: a payments file
    /// looks up one dossier per row.
    static func paidDossier(_ db: Database, _ key: DossierKey) throws -> PaidDossier? {
        let statement = try db.cachedStatement(sql: """
            SELECT id, portfolio, currency, status FROM dossiers WHERE reference = ? AND (? IS NULL OR portfolio = ?)
            """)
        let found = try Row.fetchAll(statement, arguments: [key.reference, key.portfolio, key.portfolio]).map { row in
            PaidDossier(id: row[0], portfolio: row[1], currency: row[2], status: row[3])
        }
        guard found.count <= 1 else {
            let portfolios = found.map(\.portfolio).joined(separator: ", ")
            throw HomeshoreError("ambiguous_reference", "The reference \(key.reference) exists in several portfolios (\(portfolios)); write PORTFOLIO/\(key.reference) or use --portfolio.")
        }
        return found.first
    }
}
