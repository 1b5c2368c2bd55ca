import Foundation
import GRDB
import HomeshoreCore

/// What a payment row needs of the dossier it pays into.
struct PaidDossier {
    var id: String
    var portfolio: String
    var currency: String
    var status: String
    var reference: String
    /// Orders the dossiers of one reference as a look-up by reference lists them.
    var rowid: Int64
}

extension SQLiteHubStore {
    /// The dossiers of every reference a payments file names, by reference: one statement for the
    /// file instead of a look-up per row.
    static func paidDossiers(_ db: Database, references: [String]) throws -> [String: [PaidDossier]] {
        var found: [String: [PaidDossier]] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, portfolio, currency, status, reference, rowid FROM dossiers WHERE reference IN (SELECT value FROM json_each(?))
            """), arguments: [try idList(references)])
        while let row = try rows.next() {
            let dossier = PaidDossier(id: row[0], portfolio: row[1], currency: row[2], status: row[3], reference: row[4], rowid: row[5])
            found[dossier.reference, default: []].append(dossier)
        }
        return found
    }

    /// The dossier a payment's key names among `candidates` (the dossiers of its reference), nil when
    /// none; an ambiguous key is an error naming the portfolios, as for every other command. Text is
    /// compared byte for byte, as SQLite compares it (Swift's `==` equates canonically equivalent
    /// spellings that are two references to the hub).
    static func paidDossier(_ key: DossierKey, among candidates: [PaidDossier]) throws -> PaidDossier? {
        let found = candidates.filter { dossier in
            dossier.reference.utf8.elementsEqual(key.reference.utf8) && key.portfolio.map { dossier.portfolio.utf8.elementsEqual($0.utf8) } ?? true
        }.sorted { $0.rowid < $1.rowid }
        guard found.count <= 1 else {
            let portfolios = found.map(\.portfolio).joined(separator: ", ")
            throw HomeshoreError("ambiguous_reference", "The reference \(key.reference) exists in several portfolios (\(portfolios)); write PORTFOLIO/\(key.reference) or use --portfolio.")
        }
        return found.first
    }
}
