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
              let millis = Int64(parts[0]), let counter = Int(parts[1]), !parts[2].isEmpty, parts[2].count <= 64
        else { return nil }
        self.init(millis: millis, counter: counter, node: String(parts[2]))
    }

    public static func < (lhs: HLCStamp, rhs: HLCStamp) -> Bool {
        (lhs.millis, lhs.counter, lhs.node) < (rhs.millis, rhs.counter, rhs.node)
    }
}

public struct HybridLogicalClock: Sendable {
    public private(set) var last: HLCStamp

    public init(node: String, last: HLCStamp? = nil) {
        self.last = last ?? HLCStamp(millis: 0, counter: 0, node: node)
        self.last.node = node
    }

    /// A new stamp for a local event.
    public mutating func tick(now: Date = Date()) -> HLCStamp {
        let wall = Int64(now.timeIntervalSince1970 * 1000)
        if wall > last.millis {
            last = HLCStamp(millis: wall, counter: 0, node: last.node)
        } else {
            last.counter += 1
        }
        return last
    }

    /// Folds in a stamp seen from another writer, so later local stamps sort after it.
    public mutating func observe(_ remote: HLCStamp) {
        if remote.millis > last.millis {
            last = HLCStamp(millis: remote.millis, counter: remote.counter, node: last.node)
        } else if remote.millis == last.millis && remote.counter > last.counter {
            last.counter = remote.counter
        }
    }
}
