import GRDB
import HomeshoreCore

/// What a listing shows of a dossier (`list`, `search`): read from the work list, with this laptop's
/// queued phone and callback edits, without decoding the dossier's record.
public struct DossierLine: Sendable, Equatable {
    public var id: String
    public var reference: String
    public var portfolio: String
    public var debtorName: String
    public var balance: Int64
    public var currency: String
    public var status: String
    public var city: String?
    public var phone: String?
    /// The callback agreed, as stored (UTC instant text).
    public var nextCallback: String?
    /// The debtor's IANA time zone.
    public var timezone: String

    public init(_ d: DossierRecord) {
        id = d.id
        reference = d.reference
        portfolio = d.portfolio
        debtorName = d.debtorName
        balance = d.balance
        currency = d.currency
        status = d.status
        city = d.city
        phone = d.phone
        nextCallback = d.nextCallback
        timezone = d.timezone
    }

    init(row: Row) {
        id = row[0]
        reference = row[1]
        portfolio = row[2]
        debtorName = row[3]
        balance = row[4]
        currency = row[5]
        status = row[6]
        city = row[7]
        phone = row[8]
        nextCallback = row[9]
        timezone = row[10]
    }

    /// The `work_list` columns `init(row:)` reads, in its order.
    static func columns(prefix: String = "") -> String {
        ["dossier_id", "reference", "portfolio", "debtor_name", "balance", "currency", "status", "city", "phone", "callback", "timezone"]
            .map { prefix + $0 }.joined(separator: ", ")
    }

    static var columns: String { columns() }

    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments) throws -> [DossierLine] {
        var lines: [DossierLine] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() { lines.append(DossierLine(row: row)) }
        return lines
    }
}
