import Foundation
import HomeshoreCore

/// What the hub checks of an op beyond its shape (`OpValidation`), against the device that sent it
/// and the hub's own clock: laptop clocks are wrong, and a token can be replayed by a forged client.
enum OpAdmission {
    /// The op as the hub will apply it: recorded within the device's lifetime (enrollment to
    /// retirement) and not beyond the skew ahead of the hub, its clock stamp clamped to that bound.
    static func admit(_ op: SyncOp, from device: DeviceAuth, now: Date, skew: TimeInterval = Limits.maxClockSkewSeconds) throws -> SyncOp {
        guard let recordedAt = Timestamp.parse(op.recordedAt), let stamp = HLCStamp(op.hlc) else { return op }
        let earliest = device.enrolledAt.addingTimeInterval(-skew)
        let latest = now.addingTimeInterval(skew)
        try checkWithinLifetime(recordedAt, field: "recorded_at", earliest: earliest, latest: latest)
        if op.kind == OpKind.call.rawValue, let at = op.payload.at.flatMap(Timestamp.parse) {
            try checkWithinLifetime(at, field: "at", earliest: earliest, latest: latest)
        }
        if let retiredAt = device.retiredAt, recordedAt > retiredAt {
            throw HomeshoreError("recorded_after_retirement",
                                 "This op was recorded at \(Timestamp.string(from: recordedAt)), after the device was retired (\(Timestamp.string(from: retiredAt))).")
        }
        var admitted = op
        admitted.hlc = stamp.bounded(now: now, skew: skew).description
        return admitted
    }

    private static func checkWithinLifetime(_ instant: Date, field: String, earliest: Date, latest: Date) throws {
        if instant < earliest {
            throw HomeshoreError("recorded_before_enrollment",
                                 "The op's \(field) \(Timestamp.string(from: instant)) is before this device was enrolled; check the laptop's clock.")
        }
        if instant > latest {
            throw HomeshoreError("recorded_in_future",
                                 "The op's \(field) \(Timestamp.string(from: instant)) is more than \(Int(Limits.maxClockSkewSeconds / 3600)) hours ahead of the hub's clock; check the laptop's clock.")
        }
    }
}
