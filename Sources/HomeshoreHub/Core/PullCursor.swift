/// Where a device stands in the hub's change sequence, as the opaque `cursor` of `POST /v1/sync`.
///
/// Pages are ordered by each dossier's latest change (`last_seq`), so a page that stops at `position`
/// may leave out a dossier that changed before `position` and again after it. The device does not
/// hold every change up to `position` until the last page of the run; it holds every change up to
/// `base`, the cursor it started the run from. So while more pages follow, the cursor carries both:
/// the dossiers of the next pages bring their events after `base` (not after `position`), and those
/// that entered the scope after `base` come whole. The last page answers a plain cursor again
/// (`base == position`), which is what every cursor was before this existed, so cursors stored by
/// older clients keep their meaning.
///
/// Encoding (positive Int64, stored and echoed unchanged by clients): a plain cursor is the sequence
/// number itself, below 2^62. A paging cursor has bit 62 set, the width `w` of `position - base` in
/// bits 56–61, `base` above bit `w` and `position - base` in the low `w` bits.
public struct PullCursor: Equatable, Sendable {
    /// Every change with a sequence number up to here is on the device.
    public var base: Int64
    /// Pages so far covered the dossiers whose latest change is up to here.
    public var position: Int64

    public init(base: Int64, position: Int64) {
        self.base = base
        self.position = max(base, position)
    }

    public init(plain sequence: Int64) {
        self.init(base: sequence, position: sequence)
    }

    static let pagingFlag: Int64 = 1 << 62
    static let payloadBits = 56

    public init(_ value: Int64) {
        guard value & Self.pagingFlag != 0, value > 0 else {
            self.init(plain: max(0, value))
            return
        }
        let width = Int((value >> Self.payloadBits) & 0x3F)
        let payload = value & ((1 << Self.payloadBits) - 1)
        guard width <= Self.payloadBits else {
            self.init(plain: 0)
            return
        }
        let delta = width == 0 ? 0 : payload & ((1 << width) - 1)
        self.init(base: payload >> width, position: (payload >> width) + delta)
    }

    /// The value to hand the device. A run whose two numbers do not fit (only with sequence numbers
    /// beyond 2^28 and a run spanning as many changes) restarts from base 0: the rest of the run then
    /// brings each dossier whole, which is always correct, only larger.
    public var encoded: Int64 {
        guard position > base else { return base }
        let delta = position - base
        let width = Int64.bitWidth - delta.leadingZeroBitCount
        guard width < Self.payloadBits, base < (1 << (Self.payloadBits - width)) else {
            // Base 0 always fits below 2^55 changes, a number no hub reaches.
            return base == 0 ? 0 : PullCursor(base: 0, position: position).encoded
        }
        return Self.pagingFlag | (Int64(width) << Self.payloadBits) | (base << width) | delta
    }
}
