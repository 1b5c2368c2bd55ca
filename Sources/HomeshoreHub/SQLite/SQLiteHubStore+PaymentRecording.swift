import Foundation
import GRDB
import HomeshoreCore

/// A payment row matched to its dossier, its amount in the dossier's minor units and its id.
struct ResolvedPayment {
    var row: PaymentImportRow
    var dossierId: String
    var amount: Int64
    var id: String
}

extension SQLiteHubStore {
    /// Payments recorded per batch: three statements each, whatever it holds.
    static let recordBatch = 5000

    /// Records the payments whose id is not known yet, in order, and tells which ones it recorded:
    /// each new payment lowers its dossier's balance and leaves a `payment` event with its own
    /// sequence number. Whether a payment is new is decided by the insert itself (`ON CONFLICT DO
    /// NOTHING ... RETURNING`), not by a read before it, so two hub processes importing the same
    /// file count each payment once. `progress` gets the number of payments done after each batch.
    static func record(_ db: Database, _ payments: [ResolvedPayment], now: Date, progress: ((Int) -> Void)? = nil) throws -> [Bool] {
        var recorded: [Bool] = []
        recorded.reserveCapacity(payments.count)
        var start = 0
        var ids: Set<String> = []
        var eventIds = RandomRowId()
        let stamp = Timestamp.string(from: now)
        while start < payments.count {
            let batch = payments[start..<min(start + recordBatch, payments.count)]
            var rows = JSONRows()
            // A repeated id in one file is the same payment: only its first line can be new.
            var first: [Bool] = []
            for payment in batch {
                first.append(ids.insert(payment.id).inserted)
                if first.last == true { rows.append([payment.id, payment.dossierId, payment.amount, payment.row.paidOn]) }
            }
            let inserted = rows.isEmpty ? [] : Set(try String.fetchAll(db.cachedStatement(sql: """
                INSERT INTO payments (id, dossier_id, amount, paid_on, imported_at)
                SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), ?
                FROM json_each(?) WHERE true
                ON CONFLICT (id) DO NOTHING RETURNING id
                """), arguments: [stamp, rows.json]))
            var new: [ResolvedPayment] = []
            for (payment, isFirst) in zip(batch, first) {
                let isNew = isFirst && inserted.contains(payment.id)
                recorded.append(isNew)
                if isNew { new.append(payment) }
            }
            try recordEffects(db, new, now: stamp, eventIds: &eventIds)
            start += batch.count
            progress?(start)
        }
        return recorded
    }

    /// The balances and events of newly recorded payments: one block of sequence numbers, one
    /// insert of events and one update of the dossiers they pay into.
    private static func recordEffects(_ db: Database, _ payments: [ResolvedPayment], now stamp: String, eventIds: inout RandomRowId) throws {
        guard !payments.isEmpty else { return }
        var seq = try nextSeq(db, count: Int64(payments.count))
        var events = JSONRows()
        var paidInto: [String: (total: Int64, seq: Int64)] = [:]
        var order: [String] = []
        for payment in payments {
            events.append([eventIds.next(), payment.dossierId, seq, "payment", nil, payment.row.paidOn + "T12:00:00.000Z",
                           String(decoding: try payloadEncoder.encode(OpPayload(text: payment.row.paymentId, amount: payment.amount,
                                                                                 due: payment.row.paidOn)), as: UTF8.self)])
            if paidInto[payment.dossierId] == nil { order.append(payment.dossierId) }
            paidInto[payment.dossierId, default: (0, 0)].total += payment.amount
            paidInto[payment.dossierId, default: (0, 0)].seq = seq
            seq += 1
        }
        try insertEvents(db, events, now: stamp)
        var dossiers = JSONRows()
        for dossierId in order {
            guard let paid = paidInto[dossierId] else { continue }
            dossiers.append([dossierId, paid.total, paid.seq])
        }
        // The balance moves by what was paid, from the row as it is now: another hub process's
        // change to the dossier since the file was checked is kept.
        try db.cachedStatement(sql: """
            UPDATE dossiers SET balance = balance - j.total, last_seq = j.seq, updated_at = ?
            FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS total, json_extract(value, '$[2]') AS seq
                  FROM json_each(?)) AS j
            WHERE dossiers.id = j.id
            """).execute(arguments: [stamp, dossiers.json])
    }
}
