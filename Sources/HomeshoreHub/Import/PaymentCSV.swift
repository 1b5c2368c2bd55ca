import Foundation
import HomeshoreCore

/// Reads a creditor's payments file (UTF-8 CSV with a header row: reference, amount, paid_on, and
/// optionally portfolio, currency, payment_id) into checked rows. All or nothing, like `DossierCSV`:
/// any bad row makes it throw `ImportFailure` listing every problem. Matching rows to dossiers, and
/// skipping a payment_id already imported, is the store's job.
public enum PaymentCSV {
    /// `today` is YYYY-MM-DD, the import day in the agency's calendar: later payment dates are refused.
    public static func parse(fileAt path: String, today: String, progress: (@Sendable (Int) -> Void)? = nil) throws -> [PaymentImportRow] {
        try checkToday(today)
        return try parse(CSVImportFile.stream(fileAt: path), today: today, progress: progress)
    }

    public static func parse(string: String, today: String) throws -> [PaymentImportRow] {
        try checkToday(today)
        return try parse(CSVImportFile.stream(string: string), today: today, progress: nil)
    }

    private static func parse(_ stream: InputStream, today: String, progress: (@Sendable (Int) -> Void)?) throws -> [PaymentImportRow] {
        try CSVImportFile.rows(from: stream, noun: ("payment", "payments"), progress: progress) { header in
            PaymentRowReader(header: header, today: today)
        }.rows
    }

    /// A bad `today` is the caller's mistake, but comparing dates against it would silently pass or refuse everything.
    private static func checkToday(_ today: String) throws {
        guard CalendarDate.isValid(today) else {
            throw HomeshoreError("invalid_date", "Today's date \"\(today.prefix(20))\" is not a date (YYYY-MM-DD).")
        }
    }
}
