import Foundation

/// `homeshore sync` with nothing new, as laptops do every few minutes: how many requests, how many
/// bytes beyond the TLS handshake, and whether it costs more for a bigger scope. Baselines: the same
/// laptop holding 100 dossiers, and a bare `GET /healthz` on a new TLS connection (the handshake's floor).
struct UpToDateScenario {
    let hub: SyncHub

    func run() async throws -> [BenchRow] {
        let sizes = hub.sizes
        let large = hub.homes["held"]!, small = hub.homes["held100"]!
        hub.progress.say("first syncs of the up-to-date laptops (\(Show.count(sizes.heldLarge)) and \(Show.count(sizes.heldSmall)) dossiers)")
        try large.sync()
        try small.sync()
        let floor = try await handshakeFloor()
        let before = try await hub.requests(route: "/v1/sync")
        hub.relay.reset()
        try large.sync()
        let wire = hub.relay.current
        let requests = try await hub.requests(route: "/v1/sync") - before
        hub.progress.say("up-to-date syncs, \(sizes.commandRuns) runs each")
        // Interleaved, so that a slower moment of the machine weighs on both.
        var largeTimes: [Double] = [], smallTimes: [Double] = []
        for _ in 0..<sizes.commandRuns {
            largeTimes.append(try large.sync())
            smallTimes.append(try small.sync())
        }
        let largeTime = Stats.median(largeTimes), smallTime = Stats.median(smallTimes)
        let up = wire.up - floor.up, down = wire.down - floor.down
        return [
            BenchRow("up-to-date sync: requests", figure: "\(requests)", target: "1", baseline: "—", met: requests == 1),
            BenchRow("up-to-date sync: bytes beyond a bare `GET /healthz` on a new TLS connection", figure: "\(Show.bytes(up)) up, \(Show.bytes(down)) down",
                     target: "< 1 KB each way", baseline: "handshake + `GET /healthz`: \(Show.bytes(floor.up)) up, \(Show.bytes(floor.down)) down",
                     met: up < 1000 && down < 1000),
            BenchRow("up-to-date sync, \(Show.count(sizes.heldLarge)) dossiers held (process)", figure: Show.ms(largeTime),
                     target: "≤ 1.1× the \(sizes.heldSmall)-dossier laptop",
                     baseline: "\(sizes.heldSmall) held: \(Show.ms(smallTime)): \(Show.ratio(largeTime / smallTime))", met: largeTime <= 1.1 * smallTime),
        ]
    }

    /// The bytes of a TLS handshake and the smallest exchange, through the same relay.
    private func handshakeFloor() async throws -> ByteRelay.Counts {
        let http = try BenchHTTP(caPEM: hub.hub.caPEM, fresh: true)
        hub.relay.reset()
        _ = try await http.get("https://127.0.0.1:\(hub.relay.port)/healthz")
        await http.shutdown()
        return hub.relay.current
    }
}
