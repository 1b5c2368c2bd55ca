import Foundation
import GRDB
import HomeshoreCore

extension SQLiteHubStore {
    /// Writes a batch of settlements: one statement per table whatever the batch holds, plus one
    /// upsert per rollup row the batch moves (summed over its dossiers). Only what moved is written.
    static func write(_ db: Database, _ settlements: [DossierSettlement], stamp: String) throws {
        try addMetrics(db, settlements.flatMap(\.metrics))
        try writeCredits(db, settlements)

        var promises = JSONRows()
        var plans = JSONRows()
        for settlement in settlements {
            for promise in settlement.promises { promises.append([promise.id, promise.paid, promise.state, promise.settledAt]) }
            for plan in settlement.plans { plans.append([plan.id, plan.state]) }
        }
        if !promises.isEmpty {
            try db.cachedStatement(sql: """
                UPDATE promises SET paid = json_extract(j.value, '$[1]'), state = json_extract(j.value, '$[2]'),
                    settled_at = json_extract(j.value, '$[3]')
                FROM json_each(?) AS j WHERE promises.id = json_extract(j.value, '$[0]')
                """).execute(arguments: [promises.json])
        }
        if !plans.isEmpty {
            try db.cachedStatement(sql: """
                UPDATE plans SET state = json_extract(j.value, '$[1]') FROM json_each(?) AS j WHERE plans.id = json_extract(j.value, '$[0]')
                """).execute(arguments: [plans.json])
        }

        // One block of sequence numbers: each dossier's events, then the number that moves it past
        // every cursor, as when it was settled alone.
        let numbers = settlements.reduce(0) { $0 + $1.events.count + ($1.changed ? 1 : 0) }
        var seq = numbers == 0 ? 0 : try nextSeq(db, count: Int64(numbers))
        var events = JSONRows()
        var dossiers = JSONRows()
        var eventIds = RandomRowId()
        for settlement in settlements {
            for event in settlement.events {
                events.append([eventIds.next(), settlement.dossierId, seq, event.kind, event.agent, nil,
                               String(decoding: try payloadEncoder.encode(event.payload), as: UTF8.self)])
                seq += 1
            }
            guard settlement.writesDossier else { continue }
            var touched: Int64?
            if settlement.changed {
                touched = seq
                seq += 1
            }
            dossiers.append([settlement.dossierId, settlement.status != nil, settlement.status?.status, settlement.status?.closedAt,
                             settlement.solved30d, settlement.priority, settlement.upkeepAt != nil, settlement.upkeepAt ?? nil, touched])
        }
        try insertEvents(db, events, now: stamp)
        guard !dossiers.isEmpty else { return }
        try db.cachedStatement(sql: """
            UPDATE dossiers SET
                status = CASE WHEN j.moved THEN j.status ELSE dossiers.status END,
                closed_at = CASE WHEN j.moved THEN j.closed_at ELSE dossiers.closed_at END,
                solved_30d = COALESCE(j.solved, dossiers.solved_30d),
                priority = COALESCE(j.priority, dossiers.priority),
                upkeep_at = CASE WHEN j.upkeep_moved THEN j.upkeep_at ELSE dossiers.upkeep_at END,
                last_seq = COALESCE(j.seq, dossiers.last_seq),
                updated_at = CASE WHEN j.seq IS NULL THEN dossiers.updated_at ELSE ? END
            FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS moved, json_extract(value, '$[2]') AS status,
                    json_extract(value, '$[3]') AS closed_at, json_extract(value, '$[4]') AS solved,
                    json_extract(value, '$[5]') AS priority, json_extract(value, '$[6]') AS upkeep_moved,
                    json_extract(value, '$[7]') AS upkeep_at, json_extract(value, '$[8]') AS seq
                  FROM json_each(?)) AS j
            WHERE dossiers.id = j.id
            """).execute(arguments: [stamp, dossiers.json])
    }

    /// Events of hub decisions, each row [id, dossier_id, seq, kind, agent, client_time, payload]:
    /// one statement. The caller moves the dossiers' `last_seq`.
    static func insertEvents(_ db: Database, _ rows: JSONRows, now stamp: String) throws {
        guard !rows.isEmpty else { return }
        try db.cachedStatement(sql: """
            INSERT INTO events (id, dossier_id, seq, kind, agent, device_id, client_time, hub_time, payload, flag)
            SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),
                json_extract(value, '$[4]'), NULL, json_extract(value, '$[5]'), ?, json_extract(value, '$[6]'), NULL
            FROM json_each(?)
            """).execute(arguments: [stamp, rows.json])
    }

    /// Payments whose credits moved lose their old credits and take their new ones: two statements.
    private static func writeCredits(_ db: Database, _ settlements: [DossierSettlement]) throws {
        var cleared: [String] = []
        var credited = JSONRows()
        for settlement in settlements {
            for (paymentId, credits, replaces) in settlement.credits {
                if replaces { cleared.append(paymentId) }
                for (promiseId, credit) in credits.sorted(by: { $0.key < $1.key }) {
                    credited.append([paymentId, promiseId, credit.agent ?? "", credit.amount])
                }
            }
        }
        if !cleared.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM payment_credits WHERE payment_id IN (SELECT value FROM json_each(?))")
                .execute(arguments: [try idList(cleared)])
        }
        guard !credited.isEmpty else { return }
        try db.cachedStatement(sql: """
            INSERT INTO payment_credits (payment_id, promise_id, agent, amount)
            SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
            FROM json_each(?)
            """).execute(arguments: [credited.json])
    }
}
