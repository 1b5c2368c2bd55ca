import Foundation
import GRDB
import GRDBSQLite
@testable import HomeshoreHub

/// What SQLite did for each statement a piece of hub code ran: the virtual-machine steps (rows
/// visited, roughly) and the steps of full scans. Counting steps, not time, tells whether a sync's
/// cost grows with the scope without timing anything.
final class StatementCost: @unchecked Sendable {
    struct Run: Sendable {
        var sql: String
        var steps: Int
        var fullScanSteps: Int
    }

    private let lock = NSLock()
    private var recording = false
    private var recorded: [Run] = []

    /// Installs the counter on a connection of the store (see `SQLiteHubStore.init(path:prepare:)`).
    func install(on db: Database) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_trace_v2(db.sqliteConnection, UInt32(SQLITE_TRACE_PROFILE), { _, context, statement, _ in
            guard let context, let statement else { return 0 }
            let cost = Unmanaged<StatementCost>.fromOpaque(context).takeUnretainedValue()
            let handle = OpaquePointer(statement)
            // Reading resets the counters, so each run of a cached statement counts on its own.
            let steps = Int(sqlite3_stmt_status(handle, Int32(SQLITE_STMTSTATUS_VM_STEP), 1))
            let scans = Int(sqlite3_stmt_status(handle, Int32(SQLITE_STMTSTATUS_FULLSCAN_STEP), 1))
            let sql = sqlite3_sql(handle).map { String(cString: $0) } ?? ""
            cost.add(Run(sql: sql, steps: steps, fullScanSteps: scans))
            return 0
        }, context)
    }

    private func add(_ run: Run) {
        lock.lock()
        defer { lock.unlock() }
        if recording { recorded.append(run) }
    }

    /// The statements `body` ran, on any connection of the store.
    func runs(of body: () async throws -> Void) async throws -> [Run] {
        lock.withLock { recording = true; recorded = [] }
        try await body()
        return lock.withLock {
            recording = false
            return recorded
        }
    }

    /// A store whose every connection reports to `cost`.
    static func store(in folder: URL) throws -> (SQLiteHubStore, StatementCost) {
        let cost = StatementCost()
        let store = try SQLiteHubStore(path: folder.appendingPathComponent("hub.sqlite").path, prepare: { db in cost.install(on: db) })
        return (store, cost)
    }
}

extension Array where Element == StatementCost.Run {
    var steps: Int { reduce(0) { $0 + $1.steps } }
    var fullScanSteps: Int { reduce(0) { $0 + $1.fullScanSteps } }
    var report: String {
        map { "\($0.steps) steps, \($0.fullScanSteps) scanning: \($0.sql.prefix(160))" }.joined(separator: "\n")
    }
}
