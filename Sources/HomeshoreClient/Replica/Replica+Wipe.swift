import Foundation
import GRDB

extension Replica {
    /// Erases every dossier, event, queued op and credential from this laptop (lost or retired device).
    /// The enrollment record goes first: a wipe cut short leaves an enrolled replica (wiped again at
    /// the next sync), never a record that would make the wiped replica read as damaged.
    public func wipe() throws {
        guard access == .readWrite else { throw openedForReading }
        try EnrollmentRecord.remove(folder: folder)
        try write { db in
            for table in ["events", "dossiers", "dossier_search", "work_list", "outbox", "rejected", "portfolios", "meta"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
        }
        try writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            try db.execute(sql: "VACUUM")
        }
    }
}
