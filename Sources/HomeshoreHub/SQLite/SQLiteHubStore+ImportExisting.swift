import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// The columns a re-import compares and ranks, in the order `importedDossier(from:)` reads them.
    static let importedColumns = """
        id, reference, debtor_name, debtor_type, amount_due, balance, currency, due_date, phone, phone2, email, address,
        postcode, city, country, timezone, language, customer_since, prior_incidents, vip, invoice_refs, letter_ref,
        letter_date, notes, status, next_callback, placed_at, field_clocks
        """

    /// The portfolio's dossiers by reference, as far as an import needs them (no holder, no work).
    /// Streamed and read by column position: looking columns up by name lower-cases every name for
    /// every row, which made reading 100,000 dossiers cost seconds.
    static func importedDossiers(_ db: Database, portfolio: String) throws -> [String: DossierRecord] {
        var existing: [String: DossierRecord] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT \(importedColumns) FROM dossiers WHERE portfolio = ?", arguments: [portfolio])
        while let row = try rows.next() {
            let record = try importedDossier(from: row, portfolio: portfolio)
            existing[record.reference] = record
        }
        return existing
    }

    static func importedDossier(from row: Row, portfolio: String) throws -> DossierRecord {
        let clocksText: String = row[27]
        let clocks = clocksText == "{}" ? [:] : (try? JSONDecoder().decode([String: String].self, from: Data(clocksText.utf8))) ?? [:]
        return DossierRecord(
            id: row[0], portfolio: portfolio, reference: row[1], debtorName: row[2], debtorType: row[3], amountDue: row[4],
            balance: row[5], currency: row[6], dueDate: row[7], phone: row[8], phone2: row[9], email: row[10], address: row[11],
            postcode: row[12], city: row[13], country: row[14], timezone: row[15], language: row[16], customerSince: row[17],
            priorIncidents: row[18], vip: row[19], invoiceRefs: row[20], letterRef: row[21], letterDate: row[22], notes: row[23],
            status: row[24], nextCallback: row[25], placedAt: row[26], fieldClocks: clocks)
    }
}
