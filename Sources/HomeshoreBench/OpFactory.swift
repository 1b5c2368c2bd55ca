import Foundation
import HomeshoreCore
import HomeshoreHub

/// Real ops of one device, in the mix an agent records: calls of several outcomes, notes, a promise,
/// a contact change. Deterministic for a seed, so two runs merge the same work.
struct OpFactory: Sendable {
    private(set) var deviceSeq: Int64 = 0
    private var clock: HybridLogicalClock
    private var random: SampleDossiers.SplitMix64
    let now: Date

    init(node: String, seed: UInt64, now: Date = Date()) {
        clock = HybridLogicalClock(node: node)
        random = SampleDossiers.SplitMix64(seed: seed)
        self.now = now
    }

    /// The `index`-th op of a dossier's history: ten in a row make one plausible dossier's work.
    mutating func op(on dossierId: String, index: Int) -> SyncOp {
        // Recorded over the last ten hours: within the hub's skew bound of the device's enrollment.
        let recorded = now.addingTimeInterval(-36_000 + Double(index) * 60 + Double(random.next() % 50))
        let payload: OpPayload
        let kind: OpKind
        switch index % 10 {
        case 0, 2, 5:
            kind = .call
            let outcome: OutcomeCode = [.noAnswer, .voicemail, .busy][Int(random.next() % 3)]
            payload = OpPayload(outcome: outcome.rawValue, durationSeconds: 20, at: Timestamp.string(from: recorded))
        case 7:
            kind = .call
            payload = OpPayload(outcome: OutcomeCode.rightParty.rawValue, durationSeconds: 180 + Int(random.next() % 120),
                                text: "Le débiteur confirme l'adresse et demande un délai.", at: Timestamp.string(from: recorded),
                                wrapUpSeconds: 40)
        case 8:
            kind = .promise
            let due = AgencyCalendar.day(of: now.addingTimeInterval(10 * 86_400))
            payload = OpPayload(amount: Int64(1_000 + random.next() % 2_000), due: due)
        case 9:
            kind = .contact
            payload = OpPayload(email: "debiteur\(random.next() % 100_000)@exemple.fr")
        default:
            kind = .note
            payload = OpPayload(text: "Message laissé, rappel prévu en fin de semaine (note \(index)).")
        }
        deviceSeq += 1
        return SyncOp(id: UUID().uuidString.lowercased(), deviceSeq: deviceSeq, kind: kind.rawValue, dossierId: dossierId,
                      recordedAt: Timestamp.string(from: recorded), hlc: clock.tick(now: now).description, payload: payload)
    }
}
