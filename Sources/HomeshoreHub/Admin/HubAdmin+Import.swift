import Foundation
import HomeshoreCore

extension HubAdmin {
    /// Checks the whole file first, then imports it in one transaction: a file with a bad row imports nothing.
    public func importDossiers(file: String, portfolio: String, now: Date = Date(),
                               progress: (@Sendable (String) -> Void)? = nil) async throws -> (ImportSummary, ignoredColumns: [String]) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (1...64).contains(portfolio.count), portfolio.allSatisfy({ allowed.contains($0) }) else {
            throw HomeshoreError("invalid_portfolio", "The portfolio name \"\(portfolio.prefix(70))\" must be 1 to 64 letters, digits, dots, dashes or underscores.")
        }
        let parsed: DossierCSVResult
        do {
            parsed = try DossierCSV.parse(fileAt: file) { count in progress?("checked \(count) rows") }
        } catch let failure as ImportFailure {
            throw HomeshoreError("invalid_csv", failure.description)
        }
        let summary = try await store.importDossiers(portfolio: portfolio, rows: parsed.rows, now: now) { count in
            progress?("imported \(count) of \(parsed.rows.count) rows")
        }
        return (summary, parsed.ignoredColumns)
    }
}

extension HubAdmin {
    /// Checks the whole payments file, then records it in one transaction and settles what it pays for.
    public func importPayments(file: String, now: Date = Date(), progress: (@Sendable (String) -> Void)? = nil) async throws -> PaymentImportSummary {
        do {
            let rows = try PaymentCSV.parse(fileAt: file, today: AgencyCalendar.day(of: now)) { count in progress?("checked \(count) rows") }
            return try await store.importPayments(rows, now: now) { step in
                switch step {
                case .recorded(let done, let total): progress?("recorded \(done) of \(total) payments")
                case .settled(let done, let total): progress?("settled \(done) of \(total) dossiers")
                }
            }
        } catch let failure as ImportFailure {
            throw HomeshoreError("invalid_csv", failure.description)
        }
    }

    public func loadScripts(directory: String, portfolio: String, now: Date = Date()) async throws -> [ScriptKey] {
        let scripts = try ScriptSet.loadAll(directory: directory)
        try await store.setScripts(portfolio: portfolio, variants: scripts, now: now)
        return scripts.keys.sorted { $0.description < $1.description }
    }
}
