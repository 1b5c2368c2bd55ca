import Foundation
import HomeshoreCore
import HomeshoreHub
import NIOConcurrencyHelpers

/// Many laptops on one hub: `devices` enrolled devices (ten per agent), each syncing every
/// `syncInterval` seconds on a new TLS connection, as each `homeshore sync` process does; most are
/// up to date, some push a few ops, and the others of the same agent then pull them. Baseline: a
/// plain Hummingbird route over the same TLS, the same schedule, in the same run.
struct LoadScenario {
    let binaries: Binaries
    let work: String
    let sizes: BenchSizes
    let progress: BenchProgress

    struct Figures {
        var requests = 0
        var errors = 0
        var latencies: [Double] = []
        var firstError: String?
        var p99: Double { Stats.percentile(latencies, 0.99) }
        var p50: Double { Stats.percentile(latencies, 0.5) }
    }

    func run() async throws -> [BenchRow] {
        let hub = try HubProcess(binaries: binaries, data: work + "/load-hub", port: try FreePort.pick())
        let seeder = try Seeder(hub: hub, progress: progress)
        let agents = max(1, sizes.devices / 10)
        _ = try seeder.importPortfolio("P-LOAD", count: agents * 10, seed: 9, work: work)
        var devices: [BenchDevice] = []
        progress.say("enrolling \(sizes.devices) devices for \(agents) agents")
        for number in 0..<agents {
            let login = String(format: "load%04d", number)
            _ = try await seeder.admin.addAgent(NewAgent(login: login, name: "Charge \(number)", languages: ["fr", "en"], portfolios: ["P-LOAD"], capacity: 10))
            for device in 0..<10 where devices.count < sizes.devices {
                devices.append(try await seeder.device(login, name: "laptop-\(device)"))
            }
        }
        try await hub.start()
        defer { hub.stop() }
        progress.say("first syncs of \(devices.count) devices")
        let fleet = try await Fleet.prepare(devices, baseURL: hub.baseURL, caPEM: hub.caPEM)
        do {
            return try await measure(fleet, hub: hub, devices: devices.count)
        } catch {
            await fleet.http.shutdown()
            throw error
        }
    }

    private func measure(_ fleet: Fleet, hub: HubProcess, devices: Int) async throws -> [BenchRow] {
        let before = hub.pid.flatMap(ProcessUsage.of)
        progress.say("load: \(devices) devices syncing every \(sizes.syncInterval) s for \(sizes.loadSeconds) s")
        let load = try await fleet.run(seconds: sizes.loadSeconds, interval: sizes.syncInterval) { http, laptop in
            try await laptop.sync(http)
        }
        let after = hub.pid.flatMap(ProcessUsage.of)
        hub.stop()

        let helloPort = try FreePort.pick()
        let hello = Process()
        hello.executableURL = URL(fileURLWithPath: binaries.bench)
        hello.arguments = ["hello", "--data", hub.data, "--listen", "127.0.0.1:\(helloPort)"]
        hello.standardOutput = FileHandle.nullDevice
        try hello.run()
        defer { hello.terminate(); hello.waitUntilExit() }
        let helloURL = "https://127.0.0.1:\(helloPort)"
        try await Fleet.waitFor(helloURL + "/hello", caPEM: hub.caPEM)
        progress.say("baseline: the same schedule on a plain Hummingbird route")
        let baseline = try await fleet.run(seconds: sizes.loadSeconds, interval: sizes.syncInterval) { http, _ in
            let answer = try await http.get(helloURL + "/hello")
            guard answer.status == 200 else { throw HomeshoreError("bench_hello_failed", "The plain route answered \(answer.status).") }
        }
        await fleet.http.shutdown()
        let cpu = (after?.cpuSeconds ?? 0) - (before?.cpuSeconds ?? 0)
        let seconds = Double(sizes.loadSeconds)
        let errorText = load.firstError.map { " (first: \($0.prefix(120)))" } ?? ""
        return [
            BenchRow("hub under load: \(Show.count(devices)) devices every \(sizes.syncInterval) s for \(sizes.loadSeconds) s, \(Show.count(load.requests)) syncs",
                     figure: "p99 \(Show.ms(load.p99)), p50 \(Show.ms(load.p50)), \(load.errors) errors\(errorText)", target: "no error, p99 < 250 ms",
                     baseline: "plain route: p99 \(Show.ms(baseline.p99)), p50 \(Show.ms(baseline.p50)), \(baseline.errors) errors",
                     met: load.errors == 0 && load.p99 < 0.25),
            BenchRow("hub under load: CPU and memory", figure: "\(Show.percent(cpu / seconds)) of one core, peak \(Show.bytes(after?.peakResidentBytes ?? 0)) resident",
                     target: "—", baseline: "—", met: nil),
        ]
    }
}

/// The simulated laptops: one HTTPS client for all, a connection per request.
struct Fleet: Sendable {
    let laptops: [Laptop]
    let http: BenchHTTP

    static func prepare(_ devices: [BenchDevice], baseURL: String, caPEM: String) async throws -> Fleet {
        let http = try BenchHTTP(caPEM: caPEM, fresh: true, connections: 512)
        var laptops: [Laptop] = []
        do {
            for (index, device) in devices.enumerated() {
                let laptop = Laptop(device: device, baseURL: baseURL, seed: UInt64(index))
                try await laptop.sync(http, pushing: false)
                laptops.append(laptop)
            }
        } catch {
            await http.shutdown()
            throw error
        }
        return Fleet(laptops: laptops, http: http)
    }

    static func waitFor(_ url: String, caPEM: String) async throws {
        let http = try BenchHTTP(caPEM: caPEM)
        defer { Task { await http.shutdown() } }
        for _ in 0..<200 {
            if (try? await http.get(url))?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HomeshoreError("bench_hello_down", "The plain Hummingbird server did not answer at \(url).")
    }

    /// Every laptop acts once per interval, at its own phase, until the time is up.
    func run(seconds: Int, interval: Int, _ act: @escaping @Sendable (BenchHTTP, Laptop) async throws -> Void) async throws -> LoadScenario.Figures {
        let figures = NIOLockedValueBox(LoadScenario.Figures())
        let start = ContinuousClock.now
        let end = start + .seconds(seconds)
        let http = self.http
        await withTaskGroup(of: Void.self) { group in
            for (index, laptop) in laptops.enumerated() {
                group.addTask {
                    var tick = start + .milliseconds(interval * 1000 * index / max(1, laptops.count))
                    while tick < end {
                        try? await Task.sleep(until: tick, clock: .continuous)
                        let began = ContinuousClock.now
                        do {
                            try await act(http, laptop)
                            let took = (ContinuousClock.now - began).seconds
                            figures.withLockedValue { $0.requests += 1; $0.latencies.append(took) }
                        } catch {
                            figures.withLockedValue {
                                $0.requests += 1
                                $0.errors += 1
                                $0.firstError = $0.firstError ?? "\(error)"
                            }
                        }
                        tick += .seconds(interval)
                    }
                }
            }
        }
        return figures.withLockedValue { $0 }
    }
}

/// One simulated laptop: its cursor, the dossiers it holds, and the ops it records.
final class Laptop: @unchecked Sendable {
    let device: BenchDevice
    let baseURL: String
    private let state: NIOLockedValueBox<(cursor: Int64, dossiers: [String], factory: OpFactory, random: SampleDossiers.SplitMix64)>

    init(device: BenchDevice, baseURL: String, seed: UInt64) {
        self.device = device
        self.baseURL = baseURL
        state = NIOLockedValueBox((0, [], OpFactory(node: device.auth.deviceId, seed: seed), SampleDossiers.SplitMix64(seed: seed)))
    }

    /// One sync as the client makes it: about one in seven pushes one to three ops, then pulls
    /// until the hub has nothing more. Each request is timed on its own by the caller's loop.
    func sync(_ http: BenchHTTP, pushing: Bool = true) async throws {
        var ops: [SyncOp] = []
        var cursor: Int64 = 0
        state.withLockedValue { state in
            cursor = state.cursor
            if pushing, !state.dossiers.isEmpty, state.random.next() % 7 == 0 {
                let count = Int(state.random.next() % 3) + 1
                let target = state.dossiers[Int(state.random.next() % UInt64(state.dossiers.count))]
                // Notes only: calls would soon hit the contact caps, which is not what this measures.
                ops = (0..<count).map { _ in state.factory.op(on: target, index: 1) }
            }
        }
        while true {
            let response = try await http.sync(baseURL, token: device.token, SyncRequest(cursor: cursor, ops: ops, queued: 0))
            ops = []
            cursor = response.cursor
            state.withLockedValue { state in
                state.cursor = response.cursor
                for change in response.upserts where !state.dossiers.contains(change.dossier.id) { state.dossiers.append(change.dossier.id) }
                state.dossiers.removeAll { response.removals.contains($0) }
            }
            if !response.more { return }
        }
    }
}
