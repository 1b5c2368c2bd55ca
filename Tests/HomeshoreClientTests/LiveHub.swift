import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Hummingbird
import Logging
import ServiceLifecycle

/// A real hub in this process: `init`'s data folder, its private CA, HTTPS on a loopback port.
final class LiveHub: @unchecked Sendable {
    let folder: URL
    let dir: HubDataDir
    let admin: HubAdmin
    let port: Int
    private var task: Task<Void, any Error>?

    /// A hub initialised for a port that was free a moment ago (its URL, in every enrollment token,
    /// names the port, so the port is chosen before `init`, not by the listener).
    private init(port: Int) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)")
        self.port = port
        dir = HubDataDir(folder.appendingPathComponent("hub").path)
        _ = try HubInitializer.initialise(dir, publicURL: "https://localhost:\(port)", hostnames: [])
        admin = try HubAdmin(dir: dir)
    }

    /// A started hub. A test running alongside may take the chosen port before the hub binds it:
    /// the hub then fails to start, and another port is tried.
    static func started() async throws -> LiveHub {
        var attempt = 1
        while true {
            let hub = try LiveHub(port: try freePort())
            do {
                try await hub.start()
                return hub
            } catch where attempt < 5 {
                await hub.teardown()
                attempt += 1
            }
        }
    }

    func start() async throws {
        let tls = try HubPKI.serverTLSConfiguration(
            certificatePEM: String(contentsOfFile: dir.serverCertificate, encoding: .utf8),
            caPEM: String(contentsOfFile: dir.caCertificate, encoding: .utf8),
            keyPEM: String(contentsOfFile: dir.serverKey, encoding: .utf8))
        let (started, continuation) = AsyncStream<Void>.makeStream()
        var logger = Logger(label: "live-hub")
        logger.logLevel = .warning
        let app = try buildApplication(store: admin.store, options: HubServerOptions(
            host: "127.0.0.1", port: port, tls: tls, logger: logger, onServerRunning: { _ in continuation.yield() }))
        // The stream ends with the service, so a hub that cannot listen (its port taken) is an error
        // here rather than a wait that never ends.
        let service = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        task = service
        for await _ in started { return }
        task = nil
        try await service.value
        throw LiveHubStopped(port: port)
    }

    func stop() async {
        task?.cancel()
        _ = await task?.result
        task = nil
    }

    /// A client folder enrolled as `login` (the agent is created on first use).
    func enrolledDesk(_ login: String, device: String = "laptop") async throws -> Desk {
        let token: String
        if try await admin.store.agent(login: login) == nil {
            token = try await admin.addAgent(NewAgent(login: login, name: login.capitalized))
        } else {
            token = try await admin.enrollmentToken(login: login)
        }
        let desk = try Desk(home: ClientHome(folder.appendingPathComponent("clients/\(login)-\(device)").path))
        _ = try await desk.enroll(token: token, deviceName: device)
        return desk
    }

    func importCSV(_ csv: String, portfolio: String = "P") async throws {
        let rows = try DossierCSV.parse(string: csv).rows
        _ = try await admin.store.importDossiers(portfolio: portfolio, rows: rows, now: Date(), progress: nil)
    }

    func importSample(count: Int, portfolio: String = "P") async throws {
        try await importCSV(SampleDossiers.csv(count: count, seed: 11), portfolio: portfolio)
    }

    func assign(_ refs: [String], to login: String?) async throws {
        _ = try await admin.store.assign(refs.map { DossierKey(portfolio: nil, reference: $0) }, to: login, now: Date())
    }

    /// The hub's view of an agent's scope in the same canonical text the client dumps.
    func canonicalScope(_ login: String) async throws -> String {
        try CanonicalDump.text(try await admin.store.scope(login: login))
    }

    /// Runs `body` with a fresh hub and removes it afterwards, whatever happens.
    static func run(_ body: (LiveHub) async throws -> Void) async throws {
        let hub = try await LiveHub.started()
        do {
            try await body(hub)
        } catch {
            await hub.teardown()
            throw error
        }
        await hub.teardown()
    }

    func teardown() async {
        await stop()
        try? FileManager.default.removeItem(at: folder)
    }

    static func refs(_ range: ClosedRange<Int>) -> [String] { range.map { String(format: "D-%06d", $0) } }
}

struct LiveHubStopped: Error, CustomStringConvertible {
    let port: Int
    var description: String { "The live hub stopped before it listened on port \(port)." }
}

/// A loopback port nobody listens on right now.
func freePort() throws -> Int {
    struct NoPort: Error {}
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw NoPort() }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
        }
    }
    guard ok else { throw NoPort() }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// The real transport, but the answer is lost on the way back after the hub committed.
struct LosingTransport: SyncTransport {
    let inner: any SyncTransport

    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        _ = try await inner.sync(request)
        throw HomeshoreError("hub_unreachable", "The connection dropped before the answer arrived.")
    }
}

/// The real transport, keeping every answer for inspection.
final class RecordingTransport: SyncTransport, @unchecked Sendable {
    let inner: any SyncTransport
    private(set) var answers: [SyncResponse] = []

    init(_ inner: any SyncTransport) { self.inner = inner }

    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let answer = try await inner.sync(request)
        answers.append(answer)
        return answer
    }
}
