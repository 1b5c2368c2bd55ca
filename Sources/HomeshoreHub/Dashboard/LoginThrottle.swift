import Foundation

/// Failed dashboard log-ins per key (client address, login) in a sliding window. Attempts still
/// being checked count as failures until they end: bcrypt takes a quarter of a second, and a burst
/// of parallel guesses must not all slip in before the first failure is counted.
actor LoginThrottle {
    private let limit: Int
    private let window: TimeInterval
    private var failures: [String: [Date]] = [:]
    private var inFlight: [String: Int] = [:]
    /// Keys are whatever clients send: past this many, expired ones are swept so memory stays bounded.
    private let sweepAbove = 10_000

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Reserves an attempt for every key, or none when one of them is used up.
    func admit(_ keys: [String], now: Date) -> Bool {
        if failures.count > sweepAbove { for key in Array(failures.keys) { prune(key, now: now) } }
        for key in keys {
            prune(key, now: now)
            if (failures[key]?.count ?? 0) + (inFlight[key] ?? 0) >= limit { return false }
        }
        for key in keys { inFlight[key, default: 0] += 1 }
        return true
    }

    /// Ends an admitted attempt; a failure then counts for the whole window.
    func finish(_ keys: [String], failed: Bool, now: Date) {
        for key in keys {
            let left = (inFlight[key] ?? 1) - 1
            inFlight[key] = left > 0 ? left : nil
            if failed { failures[key, default: []].append(now) }
        }
    }

    private func prune(_ key: String, now: Date) {
        failures[key]?.removeAll { now.timeIntervalSince($0) > window }
        if failures[key]?.isEmpty == true { failures[key] = nil }
    }
}
