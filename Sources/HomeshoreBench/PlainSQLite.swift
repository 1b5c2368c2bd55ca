import Foundation
import GRDB

/// The baselines: SQLite doing only the writes, with no protocol, no rules and no process around
/// them, configured as the hub configures it (WAL, synchronous FULL), in the same run.
enum PlainSQLite {
    static func open(_ path: String) throws -> DatabasePool {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return try DatabasePool(path: path, configuration: config)
    }

    /// Re-writes a replica's dossier and event rows into a fresh file in one transaction.
    static func copyReplica(_ replica: String, work: String) throws -> Double {
        let source = try DatabaseQueue(path: replica, configuration: readOnly)
        let dossiers = try source.read { try Row.fetchAll($0, sql: "SELECT id, record FROM dossiers") }
        let events = try source.read { try Row.fetchAll($0, sql: "SELECT id, dossier_id, seq, record FROM events") }
        let target = try open(work + "/baseline-replica.sqlite")
        try target.write { db in
            try db.execute(sql: """
                CREATE TABLE dossiers (id TEXT PRIMARY KEY, record TEXT NOT NULL);
                CREATE TABLE events (id TEXT PRIMARY KEY, dossier_id TEXT NOT NULL, seq INTEGER NOT NULL, record TEXT NOT NULL);
                CREATE INDEX events_dossier ON events(dossier_id, seq);
                """)
        }
        let start = ContinuousClock.now
        try target.write { db in
            for row in dossiers { try db.execute(sql: "INSERT INTO dossiers VALUES (?, ?)", arguments: [row["id"], row["record"]]) }
            for row in events {
                try db.execute(sql: "INSERT INTO events VALUES (?, ?, ?, ?)", arguments: [row["id"], row["dossier_id"], row["seq"], row["record"]])
            }
        }
        return (ContinuousClock.now - start).seconds
    }

    static var readOnly: Configuration {
        var config = Configuration()
        config.readonly = true
        return config
    }

    /// Inserts `rows` rows of `columns` text values each, in one transaction: what an import has to write at least.
    static func insertRows(_ rows: [[String]], columns: Int, work: String, name: String) throws -> Double {
        let pool = try open(work + "/baseline-\(name).sqlite")
        let names = (0..<columns).map { "c\($0)" }
        try pool.write { try $0.execute(sql: "CREATE TABLE t (\(names.map { "\($0) TEXT" }.joined(separator: ", ")))") }
        let insert = "INSERT INTO t VALUES (\(databaseQuestionMarks(count: columns)))"
        let start = ContinuousClock.now
        try pool.write { db in
            let statement = try db.makeStatement(sql: insert)
            for row in rows { try statement.execute(arguments: StatementArguments(row.prefix(columns).map { $0 as String? })) }
        }
        return (ContinuousClock.now - start).seconds
    }
}
