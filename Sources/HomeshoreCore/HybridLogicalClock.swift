import Foundation

/// A hybrid logical clock stamp. Laptop clocks are wrong, so last-writer-wins compares these rather
/// than wall-clock times: a stamp is never older than any stamp its writer had already seen.
/// The text form sorts in the same order as the stamps.
public struct HLCStamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var millis: Int64
    public var counter: Int
    public var node: String

    public init(millis: Int64, counter: Int, node: String) {
        self.millis = millis
        self.counter = counter
        self.node = node
    }

    public var description: String {
        let ms = String(millis)
        let c = String(counter)
        return String(repeating: "0", count: max(0, 15 - ms.count)) + ms + "-"
            + String(repeating: "0", count: max(0, 6 - c.count)) + c + "-" + node
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 15, parts[1].count == 6,
              let millis = ASCIIDigits.value(parts[0]).map(Int64.init), let counter = ASCIIDigits.value(parts[1]), !parts[2].isEmpty, parts[2].count <= 64
        else { return nil }
        self.init(millis: millis, counter: counter, node: String(parts[2]))
    }

    public static func < (lhs: HLCStamp, rhs: HLCStamp) -> Bool {
        (lhs.millis, lhs.counter, lhs.node) < (rhs.millis, rhs.counter, rhs.node)
    }
}

extension HLCStamp {
    /// The largest counter the text form holds (six digits); past it a clock moves to the next millisecond.
    public static let maxCounter = 999_999

    /// The stamp no later than `skew` after `now`: a stamp from a clock far ahead (a laptop set a year
    /// forward, or a forged `999999999999999-…`) would otherwise win every later edit of its field.
    public func bounded(now: Date, skew: TimeInterval = Limits.maxClockSkewSeconds) -> HLCStamp {
        guard isBeyondBound(now: now, skew: skew) else { return self }
        return HLCStamp(millis: Self.ceiling(now: now, skew: skew), counter: 0, node: node)
    }

    /// Whether the stamp is further ahead of `now` than any clock may run.
    public func isBeyondBound(now: Date, skew: TimeInterval = Limits.maxClockSkewSeconds) -> Bool {
        millis > Self.ceiling(now: now, skew: skew)
    }

    private static func ceiling(now: Date, skew: TimeInterval) -> Int64 {
        Int64((now.timeIntervalSince1970 + skew) * 1000)
    }
}

public struct HybridLogicalClock: Sendable {
    public private(set) var last: HLCStamp

    public init(node: String, last: HLCStamp? = nil) {
        self.last = last ?? HLCStamp(millis: 0, counter: 0, node: node)
        self.last.node = node
    }

    /// A new stamp for a local event. Whatever stamps were seen before, it is well-formed and within
    /// the skew bound, so a clock can always record.
    public mutating func tick(now: Date = Date()) -> HLCStamp {
        let wall = Int64(now.timeIntervalSince1970 * 1000)
        last = last.bounded(now: now)
        if wall > last.millis {
            last = HLCStamp(millis: wall, counter: 0, node: last.node)
        } else if last.counter >= HLCStamp.maxCounter {
            last = HLCStamp(millis: last.millis + 1, counter: 0, node: last.node)
        } else {
            last.counter += 1
        }
        return last
    }

    /// Folds in a stamp seen from another writer, so later local stamps sort after it. A stamp beyond
    /// the skew bound of this clock counts as the bound.
    public mutating func observe(_ remote: HLCStamp, now: Date = Date()) {
        let remote = remote.bounded(now: now)
        if remote.millis > last.millis {
            last = HLCStamp(millis: remote.millis, counter: remote.counter, node: last.node)
        } else if remote.millis == last.millis && remote.counter > last.counter {
            last.counter = remote.counter
        }
    }
}
