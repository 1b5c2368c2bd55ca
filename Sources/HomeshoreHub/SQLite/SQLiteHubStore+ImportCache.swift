import GRDB

extension SQLiteHubStore {
    /// Page cache of the writing connection while a large import runs. A file of 100,000 dossiers
    /// inserts into indexes keyed by random ids, so with SQLite's default 2 MB nearly every insert
    /// evicts a page it needs again soon; 64 MB holds the indexes of such a portfolio.
    static let importCacheKilobytes = 64 * 1024

    /// Runs `body` with the larger cache, then gives the connection its own size back.
    static func withImportCache<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let previous = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -\(importCacheKilobytes)")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(previous)") }
        return try body()
    }
}
