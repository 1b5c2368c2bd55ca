import Foundation
import HomeshoreCore

/// The hub the sync and client scenarios share: a real hub behind a byte-counting relay, with one
/// agent per shape of scope, each with a real client folder.
final class SyncHub: @unchecked Sendable {
    let hub: HubProcess
    let relay: ByteRelay
    let seeder: Seeder
    let work: String
    let sizes: BenchSizes
    let progress: BenchProgress
    private(set) var homes: [String: ClientFolder] = [:]
    private(set) var devices: [String: BenchDevice] = [:]

    /// Agents and what they hold: `first`/`large`/`small` with a history of events, `held`/`held100` without.
    var scopes: [(login: String, count: Int, history: Bool)] {
        [("first", sizes.firstSync, true), ("large", sizes.firstSyncLarge, true), ("small", sizes.heldSmall, true),
         ("held", sizes.heldLarge, false), ("held100", sizes.heldSmall, false)]
    }

    init(binaries: Binaries, work: String, sizes: BenchSizes, progress: BenchProgress) async throws {
        self.work = work
        self.sizes = sizes
        self.progress = progress
        let port = try FreePort.pick()
        relay = try await ByteRelay(listenPort: 0, targetPort: port)
        hub = try HubProcess(binaries: binaries, data: work + "/sync-hub", port: port, publicPort: relay.port)
        seeder = try Seeder(hub: hub, progress: progress)
        for (index, scope) in scopes.enumerated() {
            let portfolio = "P-" + scope.login.uppercased()
            progress.say("importing \(Show.count(scope.count)) dossiers for \(scope.login)")
            _ = try seeder.importPortfolio(portfolio, count: scope.count, seed: UInt64(index + 1), work: work)
            let token = try await seeder.agent(scope.login, portfolio: portfolio)
            if scope.history {
                let seeding = try await seeder.device(scope.login, name: "seeding-\(scope.login)")
                let ids = try seeder.dossiers(portfolio: portfolio).map(\.id)
                progress.say("merging \(Show.count(ids.count * sizes.eventsPerDossier)) ops of history for \(scope.login)")
                _ = try await seeder.history(seeding, dossierIds: ids, perDossier: sizes.eventsPerDossier, seed: UInt64(index + 100))
            }
            devices[scope.login] = try await seeder.device(scope.login, name: "bench-\(scope.login)")
            let home = ClientFolder(path: work + "/homes/" + scope.login, binary: binaries.client)
            homes[scope.login] = home
            tokens[scope.login] = token
        }
        try await hub.start()
        for (login, token) in tokens { try homes[login]?.enroll(token) }
    }

    private var tokens: [String: String] = [:]

    /// Requests the hub answered on a route so far, from its own /metrics.
    func requests(route: String) async throws -> Int {
        let http = try BenchHTTP(caPEM: hub.caPEM)
        defer { Task { await http.shutdown() } }
        let text = String(buffer: try await http.get(hub.baseURL + "/metrics").body)
        return text.split(separator: "\n")
            .filter { $0.hasPrefix("homeshore_http_requests_total") && $0.contains("route=\"\(route)\"") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + Int($1) }
    }

    func stop() async {
        hub.stop()
        await relay.close()
    }
}
