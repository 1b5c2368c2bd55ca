import Foundation
import GRDB
import HomeshoreCore
import HomeshoreHub

/// Fills a hub through its own code paths: the import command, the admin library, and the store's
/// merge (`push`, the same code that `POST /v1/sync` runs, without the transport), so that the
/// scenarios start from states the hub itself made.
struct Seeder {
    let hub: HubProcess
    let admin: HubAdmin
    let progress: BenchProgress

    init(hub: HubProcess, progress: BenchProgress) throws {
        self.hub = hub
        admin = try HubAdmin(dir: hub.dir)
        self.progress = progress
    }

    var store: any HubStore { admin.store }

    /// A generated portfolio of `count` dossiers (references D-000001…), imported by the real command.
    func importPortfolio(_ name: String, count: Int, seed: UInt64, work: String) throws -> String {
        let file = work + "/\(name).csv"
        try csv(count: count, seed: seed, to: file)
        try Command(executable: hub.binaries.hub, arguments: ["import", "dossiers", file, "--portfolio", name, "--data", hub.data]).run()
        return file
    }

    func csv(count: Int, seed: UInt64, to file: String) throws {
        let out = try Command(executable: hub.binaries.hub, arguments: ["sample-dossiers", "--count", String(count), "--seed", String(seed)]).run()
        try out.output.write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// An agent holding the whole portfolio (a supervisor's assignment: it does not lapse), and its
    /// first enrollment token.
    func agent(_ login: String, portfolio: String, role: Role = .agent, team: String? = nil) async throws -> String {
        let token = try await admin.addAgent(NewAgent(login: login, name: "Bench \(login)", role: role, team: team,
                                                      languages: ["fr", "en"], portfolios: [portfolio], capacity: 0))
        let references = try dossiers(portfolio: portfolio).map(\.reference)
        for chunk in references.chunked(5_000) {
            _ = try await store.assign(chunk.map { DossierKey(portfolio: portfolio, reference: $0) }, to: login, now: Date())
        }
        return token
    }

    /// A device enrolled through the store, as `POST /v1/enroll` does, with the token the bench keeps.
    func device(_ login: String, name: String) async throws -> BenchDevice {
        let secret = Secrets.randomToken()
        try await store.createEnrollment(login: login, secretHash: Secrets.hash(secret), expiresAt: Date().addingTimeInterval(3600), now: Date())
        let token = Secrets.randomToken()
        let deviceId = UUID().uuidString.lowercased()
        _ = try await store.redeemEnrollment(secretHash: Secrets.hash(secret), deviceId: deviceId, deviceName: name,
                                             tokenHash: Secrets.hash(token), now: Date())
        guard let auth = try await store.authenticate(tokenHash: Secrets.hash(token)) else {
            throw HomeshoreError("bench_enroll_failed", "The device enrolled for \(login) is not known to the hub.")
        }
        return BenchDevice(login: login, token: token, auth: auth)
    }

    /// `perDossier` ops on every dossier, merged through the store in batches of the protocol's size.
    func history(_ device: BenchDevice, dossierIds: [String], perDossier: Int, seed: UInt64) async throws -> Int {
        var factory = OpFactory(node: device.auth.deviceId, seed: seed)
        var applied = 0
        let total = dossierIds.count * perDossier
        var batch: [SyncOp] = []
        func flush() async throws {
            let results = try await store.push(batch, from: device.auth, queued: 0, oldestQueuedAt: nil, now: Date())
            let refused = results.filter { $0.status == .rejected }
            guard refused.isEmpty else {
                throw HomeshoreError("bench_seed_refused", "The hub refused \(refused.count) seeded ops, e.g. \(refused[0].code ?? ""): \(refused[0].reason ?? "")")
            }
            applied += results.count
            batch.removeAll(keepingCapacity: true)
            progress.step("merging the history", applied, of: total)
        }
        for index in 0..<perDossier {
            for id in dossierIds {
                batch.append(factory.op(on: id, index: index))
                if batch.count == Limits.maxOpsPerBatch { try await flush() }
            }
        }
        if !batch.isEmpty { try await flush() }
        return applied
    }

    /// The ids of a portfolio's dossiers, read from the hub's database file.
    func dossiers(portfolio: String) throws -> [(id: String, reference: String)] {
        let queue = try DatabaseQueue(path: hub.dir.database)
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, reference FROM dossiers WHERE portfolio = ? ORDER BY reference", arguments: [portfolio])
                .map { ($0["id"], $0["reference"]) }
        }
    }
}

/// A device the bench drives itself over HTTPS, with the token it was given.
struct BenchDevice: Sendable {
    var login: String
    var token: String
    var auth: DeviceAuth
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
