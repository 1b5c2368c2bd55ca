import Foundation
import HomeshoreCore

/// Disjoint buckets of a device's last-sync age: each active device is in exactly one.
enum DeviceSyncAge: String, CaseIterable, Sendable {
    case never
    case lessThanHour = "lt_1h"
    case lessThanDay = "lt_24h"
    case lessThanWeek = "lt_7d"
    case weekOrMore = "ge_7d"

    init(lastSyncAt: String?, now: Date) {
        guard let text = lastSyncAt, let last = Timestamp.parse(text) else {
            self = .never
            return
        }
        // A laptop's sync stamped slightly ahead of the hub clock (negative age) is simply fresh.
        let age = now.timeIntervalSince(last)
        self = if age < 3600 { .lessThanHour } else if age < 86400 { .lessThanDay } else if age < 7 * 86400 { .lessThanWeek } else { .weekOrMore }
    }
}

extension OperationsMetrics {
    /// Recounts the device gauges from the store; called at scrape time, never on the sync path.
    /// Only active devices of active agents count: retired and revoked laptops are not expected to
    /// sync, and would otherwise drift into `ge_7d` and page someone for nothing.
    func refreshDevices(from store: any HubStore, now: Date) async throws {
        var counts = Dictionary(uniqueKeysWithValues: DeviceSyncAge.allCases.map { ($0, 0) })
        for agent in try await store.agents() where agent.status == .active && agent.devices > 0 {
            for device in try await store.devices(login: agent.login) where device.status == .active {
                counts[DeviceSyncAge(lastSyncAt: device.lastSyncAt, now: now), default: 0] += 1
            }
        }
        for (age, count) in counts { devices[age]?.set(to: Double(count)) }
    }
}
