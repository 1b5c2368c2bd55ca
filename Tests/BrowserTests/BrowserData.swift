import Foundation
import HomeshoreCore
import HomeshoreHub
import Testing

/// What the browser test fills the hub with, and the per-item pages it then visits.
struct BrowserData: Sendable {
    static let supervisor = "sam"
    static let password = "correct-horse-battery"

    /// An agent with activity, and the dossier of theirs with the longest history.
    var agent: String
    var portfolio: String
    var reference: String
    /// The last week, for the `?from=&to=` variant of the pages.
    var from: String
    var to: String

    /// Weeks of generated work through the store's real paths (imports, pushed ops, payments,
    /// settling), and a supervisor who logs in with `password`.
    static func seed(_ hub: BrowserHub, now: Date = Date()) async throws -> BrowserData {
        let summary = try await ActivityGenerator(seed: 5).run(on: hub.store, now: now)
        _ = try await hub.admin.addAgent(NewAgent(login: supervisor, name: "Sam Supervisor", role: .supervisor))
        // Cost 4, the lowest bcrypt allows: the hub checks any cost, and the test machine is slow.
        try await hub.admin.setPassword(login: supervisor, to: password, hasher: PasswordHasher(cost: 4))

        let agent = try #require(summary.agents.first, "The generator made no agent.")
        let held = try await hub.store.scope(login: agent)
        let dossier = try #require(held.max { $0.events.count < $1.events.count }?.dossier, "\(agent) holds no dossier.")
        return BrowserData(agent: agent, portfolio: dossier.portfolio, reference: dossier.reference,
                           from: AgencyCalendar.day(of: now.addingTimeInterval(-6 * 86_400)), to: AgencyCalendar.day(of: now))
    }
}
