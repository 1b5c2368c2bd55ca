import Foundation
import GRDB

extension Replica {
    /// Erases every dossier, event, queued op and credential from this laptop (lost or retired device).
    public func wipe() throws {
        try pool.write { db in
            for table in ["events", "dossiers", "dossier_search", "outbox", "rejected", "portfolios", "meta"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
        }
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            try db.execute(sql: "VACUUM")
        }
    }
}
