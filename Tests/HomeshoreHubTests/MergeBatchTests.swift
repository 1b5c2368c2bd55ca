import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// A batch is merged with one read per kind of fact and one write per table it adds to, not one of
/// each per op (issue 10), and it ends where merging its ops one request at a time ends.
@Suite struct MergeBatchTests {
    typealias Hub = SyncCostTests.Hub

    func device(_ hub: Hub) async throws -> DeviceAuth {
        try #require(try await hub.store.authenticate(tokenHash: Secrets.hash(hub.token)))
    }

    /// Calls, notes, contact changes, callbacks and promises over `count` dossiers, by reference.
    func mix(count: Int, start: Date, firstDossier: Int = 1) -> [(reference: String, kind: String, payload: OpPayload)] {
        (0..<count).map { index in
            let reference = String(format: "D-%06d", index % 20 + firstDossier)
            let at = Timestamp.string(from: start.addingTimeInterval(Double(index) * 60))
            return switch index % 5 {
            case 0: (reference, "call", OpPayload(outcome: "right-party", durationSeconds: 90, at: at))
            case 1: (reference, "note", OpPayload(text: "Rappeler après le 10."))
            case 2: (reference, "contact", OpPayload(phone: "+33 6 12 34 56 \(10 + index % 90)"))
            case 3: (reference, "callback", OpPayload(at: Timestamp.string(from: start.addingTimeInterval(86_400 + Double(index)))))
            default: (reference, "promise", OpPayload(amount: 100, due: AgencyCalendar.day(of: start.addingTimeInterval(7 * 86_400))))
            }
        }
    }

    func ops(_ hub: Hub, _ mix: [(reference: String, kind: String, payload: OpPayload)], start: Date) async throws -> [SyncOp] {
        var factory = OpFactory()
        var ops: [SyncOp] = []
        for (index, item) in mix.enumerated() {
            ops.append(factory.make(item.kind, dossier: try await hub.dossierId(item.reference), payload: item.payload,
                                    at: start.addingTimeInterval(Double(index))))
        }
        return ops
    }

    func statements(merging count: Int) async throws -> [StatementCost.Run] {
        let hub = try await Hub(held: 100)
        let start = hub.clock.addingTimeInterval(-3 * 3600)
        let batch = try await ops(hub, mix(count: count, start: start), start: start)
        let device = try await device(hub)
        return try await hub.cost.runs {
            let results = try await hub.store.push(batch, from: device, queued: 0, oldestQueuedAt: nil, now: hub.clock)
            #expect(results.allSatisfy { $0.status == .applied }, "\(results)")
        }
    }

    @Test func aBatchReadsWhatItsOpsShareOnceNotOncePerOp() async throws {
        let small = try await statements(merging: 10)
        let large = try await statements(merging: 60)
        for runs in [small, large] {
            // One read of the op ids already applied, one write of the new ones, whatever the batch holds.
            #expect(runs.filter { $0.sql.contains("FROM applied_ops") }.count == 1, "\(runs.report)")
            #expect(runs.filter { $0.sql.contains("INSERT INTO applied_ops") }.count == 1, "\(runs.report)")
            // The batch's dossiers in one read; only a row an op of the batch rewrote is read again.
            #expect(runs.filter { $0.sql.contains("SAVEPOINT") }.isEmpty, "\(runs.report)")
            #expect(runs.filter { $0.sql.contains("FROM portfolios WHERE name") && $0.sql.hasPrefix("SELECT *") }.count <= 1, "\(runs.report)")
        }
        // Settling runs once for the batch: its statements do not multiply with the ops.
        let settling = { (runs: [StatementCost.Run]) in runs.filter { $0.sql.contains("payment_credits") || $0.sql.contains("FROM plans") }.count }
        #expect(settling(large) == settling(small), "\(small.report)\n---\n\(large.report)")
        // What remains per op are its own writes (its event and sequence number, the dossier's
        // sequence, its rollup, its compliance check, a moved field) and the re-read of a row it rewrote.
        let perOp = Double(large.count - small.count) / 50
        #expect(perOp <= 6, "\(perOp) statements per op:\n\(large.report)")
        #expect(large.fullScanSteps == 0, "\(large.report)")
    }

    /// Duplicates inside the batch and of an earlier batch, a refused op in the middle: the same
    /// answers, and the same dossiers and events, as merging each op in a request of its own. Both
    /// ways run on one hub (one clock), on two sets of twenty dossiers.
    @Test func aBatchEndsWhereItsOpsOneByOneEnd() async throws {
        let hub = try await Hub(held: 100)
        let device = try await device(hub)
        let start = hub.clock.addingTimeInterval(-3 * 3600)
        var ends: [[String]] = []
        var answers: [[String]] = []
        for (group, oneByOne) in [false, true].enumerated() {
            let first = 1 + group * 20
            var batch = try await ops(hub, mix(count: 40, start: start, firstDossier: first), start: start)
            let early = batch[3]
            _ = try await hub.store.push([early], from: device, queued: 0, oldestQueuedAt: nil, now: hub.clock)
            var repeated = batch[7]
            repeated.deviceSeq = 1000
            batch.append(repeated)
            var refused = batch[12]
            refused.id = UUID().uuidString.lowercased()
            refused.kind = "promise"
            refused.payload = OpPayload(amount: 1_000_000_000, due: AgencyCalendar.day(of: hub.clock.addingTimeInterval(86_400)))
            refused.deviceSeq = 500
            batch.insert(refused, at: 20)
            var results: [OpResult] = []
            if oneByOne {
                for op in batch.sorted(by: { $0.deviceSeq < $1.deviceSeq }) {
                    results += try await hub.store.push([op], from: device, queued: 0, oldestQueuedAt: nil, now: hub.clock)
                }
            } else {
                results = try await hub.store.push(batch, from: device, queued: 0, oldestQueuedAt: nil, now: hub.clock)
            }
            #expect(results.first { $0.id == early.id }?.status == .duplicate)
            #expect(results.filter { $0.id == repeated.id }.map(\.status) == [.applied, .duplicate])
            #expect(results.first { $0.id == refused.id }?.code == "above_balance")
            answers.append(results.map { "\($0.status.rawValue) \($0.code ?? "")" })
            var end: [String] = []
            for number in first..<(first + 20) {
                let change = try await hub.store.dossier(DossierKey(portfolio: nil, reference: String(format: "D-%06d", number)))
                let d = change.dossier
                let promises = (d.work?.promises ?? []).map { "\($0.amount) \($0.due) \($0.state)" }.sorted()
                let events = change.events.filter { $0.kind != "assignment" }.map { "\($0.kind) \($0.payload)" }.sorted()
                let phone = d.fieldClocks["phone"] == nil ? "" : d.phone ?? ""
                end.append("\(d.status) \(phone) \(d.nextCallback ?? "") \(d.fieldClocks.keys.sorted()) \(promises) \(events)")
            }
            ends.append(end)
        }
        #expect(answers[0] == answers[1])
        for (batched, alone) in zip(ends[0], ends[1]) { #expect(batched == alone) }
    }
}
