import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

/// One test's world: a temp folder with a hub data folder, a hub process on its own port, and one
/// client folder per agent (`agents/LOGIN`). Everything is removed, and the hub terminated, on deinit.
final class Office: @unchecked Sendable {
    let root: String
    let data: String
    let logs: String
    private(set) var port = 0
    private(set) var hub: HubProcess?

    private init(label: String) throws {
        try E2E.requireBinaries()
        root = try E2E.makeTempFolder(label)
        data = root + "/hub"
        logs = root + "/logs"
    }

    deinit {
        hub?.terminateNow()
        hub = nil
        if !E2E.keepFolders { try? FileManager.default.removeItem(atPath: root) }
    }

    /// `homeshore-hub init` on a free port, then (unless `serve` is false) `serve` until it listens.
    /// A port taken between choosing and binding it is retried with another one.
    static func open(_ label: String, serve: Bool = true) async throws -> Office {
        let office = try Office(label: label)
        for attempt in 1...5 {
            office.port = try E2E.freeTCPPort()
            try? FileManager.default.removeItem(atPath: office.data)
            try await office.hubOK(["init", "--public-url", "https://127.0.0.1:\(office.port)"])
            guard serve else { return office }
            do {
                office.hub = try await HubProcess.start(data: office.data, port: office.port, logDir: office.logs)
                return office
            } catch let failure as HubProcess.StartFailure where failure.addressInUse && attempt < 5 {
                continue
            }
        }
        throw E2EError("Could not start a hub on a free port.")
    }

    // MARK: The hub process

    /// Stops the hub (SIGTERM, SIGKILL after 10 s) and returns how it ended.
    func stopHub() async throws -> CommandResult {
        guard let hub else { throw E2EError("No hub is running.") }
        let result = await hub.stop()
        self.hub = nil
        return result
    }

    /// Serves the same data folder on the same port again (retrying while the port is still held).
    func startHub() async throws {
        guard hub == nil else { throw E2EError("The hub is already running.") }
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                hub = try await HubProcess.start(data: data, port: port, logDir: logs)
                return
            } catch let failure as HubProcess.StartFailure where failure.addressInUse && ContinuousClock.now < deadline {
                await pause(.milliseconds(500))
            }
        }
    }

    // MARK: Commands

    func hubCLI(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> CommandResult {
        try await runCommand(E2E.hubBinary, arguments + ["--data", data], logDir: logs, timeout: timeout)
    }

    /// An admin command that must succeed; returns its stdout.
    @discardableResult
    func hubOK(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> String {
        let result = try await hubCLI(arguments, timeout: timeout)
        guard result.succeeded else { throw E2EError("An admin command failed: \(result)") }
        return result.stdout
    }

    func home(_ login: String) -> String { root + "/agents/" + login }

    func client(_ login: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> CommandResult {
        try await runCommand(E2E.clientBinary, arguments + ["--home", home(login)], logDir: logs, timeout: timeout)
    }

    /// An agent's command that must succeed; returns its stdout.
    @discardableResult
    func clientOK(_ login: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> String {
        let result = try await client(login, arguments, timeout: timeout)
        guard result.succeeded else { throw E2EError("An agent command failed: \(result)") }
        return result.stdout
    }

    /// Starts `homeshore ARGS --home` without waiting for it (to kill it mid-way).
    func spawnClient(_ login: String, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(E2E.clientBinary, arguments + ["--home", home(login)], logDir: logs)
    }

    // MARK: Setting the scene

    /// `agent add`: returns the enrollment token it printed.
    func addAgent(_ login: String, name: String) async throws -> String {
        let token = try await hubOK(["agent", "add", login, "--name", name]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.hasPrefix("hs1."), !token.contains("\n") else { throw E2EError("`agent add` printed \(token), not one hs1. token.") }
        return token
    }

    /// Adds the agent and enrolls their laptop (`agents/LOGIN`) with the token.
    func enrollAgent(_ login: String, name: String) async throws {
        let token = try await addAgent(login, name: name)
        try await clientOK(login, ["enroll", token, "--device-name", "laptop-\(login)"])
    }

    /// Generates a sample portfolio (references D-000001…) and imports it.
    func importSample(count: Int, seed: Int, portfolio: String = "ACME") async throws {
        // sample-dossiers needs no data folder (and takes no --data).
        let sample = try await runCommand(E2E.hubBinary, ["sample-dossiers", "--count", String(count), "--seed", String(seed)],
                                          logDir: logs)
        guard sample.succeeded else { throw E2EError("sample-dossiers failed: \(sample)") }
        let csv = sample.stdout
        let file = root + "/sample-\(portfolio).csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let output = try await hubOK(["import", "dossiers", file, "--portfolio", portfolio])
        guard output.contains("\(count) created") else { throw E2EError("The import said: \(output)") }
    }

    /// `assign REF… --to LOGIN`, 500 references per command.
    func assign(_ references: [String], to login: String) async throws {
        for start in stride(from: 0, to: references.count, by: 500) {
            let chunk = Array(references[start..<min(start + 500, references.count)])
            try await hubOK(["assign"] + chunk + ["--to", login])
        }
    }

    // MARK: Looking at state

    struct ClientStatus: Decodable {
        var agent: String?
        var hub: String?
        var lastSyncAt: String?
        var queued: Int
        var oldestQueuedAt: String?
        var rejected: [RejectedOp]
        var dossiers: Int
    }

    /// `homeshore status --format json`.
    func status(_ login: String) async throws -> ClientStatus {
        try WireJSON.decode(ClientStatus.self, from: Data(try await clientOK(login, ["status", "--format", "json"]).utf8))
    }

    /// The references `homeshore list --format json` shows, sorted.
    func listedReferences(_ login: String) async throws -> [String] {
        let output = try await clientOK(login, ["list", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
        return rows.compactMap { $0["reference"] as? String }.sorted()
    }

    struct ShownDossier: Decodable {
        struct Item: Decodable {
            var time: String
            var kind: String
            var agent: String?
            var pending: Bool
            var flag: String?
            var payload: OpPayload
        }
        var dossier: DossierRecord
        var history: [Item]
    }

    /// `homeshore show REF --format json`.
    func show(_ login: String, _ reference: String) async throws -> ShownDossier {
        try WireJSON.decode(ShownDossier.self, from: Data(try await clientOK(login, ["show", reference, "--format", "json"]).utf8))
    }

    /// `homeshore-hub dossier show REF --format json`.
    func hubDossier(_ reference: String) async throws -> DossierChange {
        try WireJSON.decode(DossierChange.self, from: Data(try await hubOK(["dossier", "show", reference, "--format", "json"]).utf8))
    }

    /// The hub's database, opened directly (WAL: safe while the hub runs).
    func store() throws -> SQLiteHubStore {
        try SQLiteHubStore(path: data + "/hub.sqlite")
    }

    /// Opens an agent's replica for the duration of `body`, then closes it.
    func withReplica<T>(_ login: String, _ body: (Replica) throws -> T) throws -> T {
        let path = home(login) + "/" + Replica.fileName
        guard FileManager.default.fileExists(atPath: path) else { throw E2EError("\(login) has no replica at \(path).") }
        let replica = try Replica(path: path)
        defer { try? replica.close() }
        return try body(replica)
    }

    /// The replica's canonical dump, decoded back: every dossier with its events.
    func replicaContents(_ login: String) throws -> [DossierChange] {
        let dump = try withReplica(login) { try $0.canonicalDump() }
        return try WireJSON.decode([DossierChange].self, from: Data(dump.utf8))
    }

    /// The agent's replica is exactly the hub's scope for that agent (dossiers and histories).
    func expectConverged(_ login: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let hubDump = try CanonicalDump.text(try await store().scope(login: login))
        let replicaDump = try withReplica(login) { try $0.canonicalDump() }
        expectSameText(replicaDump, hubDump, "\(login)'s replica vs the hub's scope for \(login)", sourceLocation: sourceLocation)
    }
}

/// Compares two long texts and, when they differ, reports the first differing line with context
/// instead of two whole dumps.
func expectSameText(_ actual: String, _ expected: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual != expected else { return }
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let first = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
    let from = max(0, first - 5)
    func excerpt(_ lines: [Substring]) -> String {
        lines[min(from, lines.count)..<min(first + 5, lines.count)].enumerated()
            .map { "\(from + $0.offset + 1): \($0.element)" }.joined(separator: "\n")
    }
    Issue.record("""
        \(what) differ at line \(first + 1) (\(a.count) lines vs \(e.count) expected).
        --- actual:
        \(excerpt(a))
        --- expected:
        \(excerpt(e))
        """, sourceLocation: sourceLocation)
}
