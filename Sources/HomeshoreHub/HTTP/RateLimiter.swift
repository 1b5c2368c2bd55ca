import Foundation

/// Counts failed attempts per client in a sliding window (enrollment secrets, later logins).
actor RateLimiter {
    private let limit: Int
    private let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    func isBlocked(_ key: String, now: Date = Date()) -> Bool {
        prune(key, now: now)
        return (failures[key]?.count ?? 0) >= limit
    }

    func recordFailure(_ key: String, now: Date = Date()) {
        prune(key, now: now)
        failures[key, default: []].append(now)
    }

    private func prune(_ key: String, now: Date) {
        failures[key]?.removeAll { now.timeIntervalSince($0) > window }
        if failures[key]?.isEmpty == true { failures[key] = nil }
    }
}
