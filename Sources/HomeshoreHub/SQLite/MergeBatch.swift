import Foundation
import GRDB
import HomeshoreCore

/// What one `push` reads once for its whole batch instead of once per op: the op ids already
/// applied, the rows of the dossiers the batch touches, the portfolios' contact rules. It also
/// collects what is written once at the end: the applied-op rows and the dossiers to settle.
/// Everything is read inside the push's transaction; a row the batch itself rewrote is read again
/// before the next op on it uses it.
final class MergeBatch {
    struct Prior {
        var deviceId: String
        var status: OpStatus
        var code: String?
        var reason: String?
    }

    private let db: Database
    var database: Database { db }
    private(set) var priors: [String: Prior] = [:]
    private var rows: [String: Row] = [:]
    private var policies: [String: ContactPolicy] = [:]
    /// Applied-op rows to insert, in the order the ops were decided.
    private var decided: [[String?]] = []
    /// Dossiers whose derived figures an op may have moved, each once, in first-touched order.
    private(set) var toSettle: [String] = []
    private var settling: Set<String> = []

    init(_ db: Database, ops: [SyncOp]) throws {
        self.db = db
        let opIds = try SQLiteHubStore.idList(ops.map(\.id))
        let known = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT op_id, device_id, status, code, reason FROM applied_ops WHERE op_id IN (SELECT value FROM json_each(?))
            """), arguments: [opIds])
        while let row = try known.next() {
            priors[row[0]] = Prior(deviceId: row[1], status: OpStatus(rawValue: row[2]) ?? .duplicate, code: row[3], reason: row[4])
        }
        let dossierIds = try SQLiteHubStore.idList(Array(Set(ops.map(\.dossierId))))
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM dossiers WHERE id IN (SELECT value FROM json_each(?))"),
                                    arguments: [dossierIds]) {
            rows[row["id"]] = row
        }
    }

    /// The dossier's row as it stands now in this transaction, or nil when the hub has no such dossier.
    func dossier(_ id: String) throws -> Row? {
        if let row = rows[id] { return row }
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM dossiers WHERE id = ?"), arguments: [id])
        if let row { rows[id] = row }
        return row
    }

    /// The op changed columns of the dossier that later ops read (contact fields, clocks, status).
    func rewrote(_ dossierId: String) { rows[dossierId] = nil }

    func contactPolicy(portfolio: String) throws -> ContactPolicy? {
        if let policy = policies[portfolio] { return policy }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM portfolios WHERE name = ?"), arguments: [portfolio]) else { return nil }
        let policy = try SQLiteHubStore.contactPolicy(row)
        policies[portfolio] = policy
        return policy
    }

    /// Records the decision on an op: a later copy of the same id in this batch is answered as one
    /// already applied would be.
    func decide(_ op: SyncOp, device: DeviceAuth, result: OpResult, now: Date) {
        priors[op.id] = Prior(deviceId: device.deviceId, status: result.status, code: result.code, reason: result.reason)
        decided.append([op.id, device.deviceId, result.status.rawValue, result.code, result.reason, Timestamp.string(from: now)])
    }

    func settleLater(_ dossierId: String) {
        if settling.insert(dossierId).inserted { toSettle.append(dossierId) }
    }

    /// The applied-op rows in one statement. The primary key still refuses an id another hub
    /// process applied meanwhile: that transaction fails whole and the device sends again.
    func writeDecided() throws {
        guard !decided.isEmpty else { return }
        let json = String(decoding: try JSONEncoder().encode(decided), as: UTF8.self)
        try db.cachedStatement(sql: """
            INSERT INTO applied_ops (op_id, device_id, status, code, reason, applied_at)
            SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
                   json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]') FROM json_each(?)
            """).execute(arguments: [json])
    }
}

/// A refusal met after an op began writing, outside a savepoint: the whole batch fails (and the
/// device sends it again) rather than keep half an op. Ops are checked before they write, so this
/// names a bug, not an agent's mistake.
struct MidOpFailure: Error, CustomStringConvertible {
    let code = "merge_failed_midway"
    var underlying: HomeshoreError
    var message: String { "An op was refused after it began writing (\(underlying.code): \(underlying.message)); the batch was not merged." }
    var description: String { message }

    static func wrapping(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as HomeshoreError {
            throw MidOpFailure(underlying: error)
        }
    }
}
