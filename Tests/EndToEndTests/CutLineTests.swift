import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HomeshoreClient
import HomeshoreCore
import Testing

/// Issue 9, point 2, with the real binary: a line that drops during the TLS handshake is "the hub is
/// unreachable" (exit 3, the work stays queued, `sync --watch` retries with backoff); only a hub whose
/// certificate the pinned CA does not vouch for is reported as a certificate problem (exit 1, and
/// `--watch` stops: retrying would not help).
@Suite("A hub on a bad line")
struct CutLineTests {
    static func aliceWithQueuedNote(_ label: String) async throws -> Office {
        let office = try await Office.open(label)
        try await office.enrollAgent("alice", name: "Alice Martin")
        try await office.importSample(count: 3, seed: 5)
        try await office.assign(E2E.refs(1...2), to: "alice")
        try await office.clientOK("alice", ["sync"])
        try await office.clientOK("alice", ["note", "D-000001", "typed on a bad line"])
        return office
    }

    static func pointAlice(_ office: Office, at port: Int) throws {
        try office.withReplica("alice") { try $0.setMeta(.hubURL, "https://127.0.0.1:\(port)") }
    }

    @Test("sync through a handshake cut short, reset or answered with garbage exits 3; sync --watch retries until the line is back")
    func aCutHandshakeIsUnreachable() async throws {
        let office = try await Self.aliceWithQueuedNote("cut-line")
        let cases: [(String, BrokenPeer.Behaviour)] = [
            ("closed after the ClientHello", .closeAfterHello),
            ("reset after the ClientHello", .resetAfterHello),
            ("garbage", .garbage),
            ("the hub's own handshake cut after 100 bytes", .relay(port: office.port, cutAfter: 100)),
        ]
        for (name, behaviour) in cases {
            let peer = try BrokenPeer(behaviour)
            defer { peer.stop() }
            try Self.pointAlice(office, at: peer.port)
            let sync = try await office.client("alice", ["sync"])
            #expect(sync.status == 3 && !sync.killedBySignal, "\(name): \(sync)")
            #expect(sync.stderr.contains("Cannot reach the hub at https://127.0.0.1:\(peer.port)"), "\(name): \(sync.stderr)")
            #expect(!sync.stderr.contains("certificate"), "\(name): \(sync.stderr)")
            #expect(sync.stderr.contains("Your 1 recorded change(s) stay queued"), "\(name): \(sync.stderr)")
        }
        #expect(try await office.status("alice").queued == 1)

        // --watch on the bad line: it keeps retrying, with a growing backoff, instead of giving up.
        let peer = try BrokenPeer(.closeAfterHello)
        defer { peer.stop() }
        try Self.pointAlice(office, at: peer.port)
        let watch = try office.spawnClient("alice", ["sync", "--watch", "--interval", "1"])
        defer { watch.send(SIGKILL) }
        func retries() -> Int { watch.stderr.components(separatedBy: "Retrying in ").count - 1 }
        let retried = await waitUntil(.seconds(60)) { retries() >= 3 || !watch.isRunning }
        try #require(watch.isRunning, "sync --watch gave up on a bad line: \(watch.stderr)")
        try #require(retried, "no three retries within 60 s: \(watch.stderr)")
        #expect(!watch.stderr.contains("certificate"), "\(watch.stderr)")
        #expect(peer.connections >= 3)

        // The line is back: the watcher delivers the note.
        try Self.pointAlice(office, at: office.port)
        let store = try office.store()
        let delivered = try await waitUntil(.seconds(90), every: .milliseconds(200)) {
            guard watch.isRunning else { return true }
            return try await store.eventCount(kind: "note") == 1
        }
        try #require(watch.isRunning && delivered, "the note was not delivered once the line was back: \(watch.stderr)")
        watch.send(SIGINT)
        #expect(await watch.waitForExit(timeout: .seconds(20)), "sync --watch did not stop on SIGINT: \(watch.stderr)")
        #expect(watch.result.succeeded, "\(watch.result)")
    }

    @Test("A hub whose certificate the pinned CA does not vouch for: sync exits 1 saying so, and sync --watch stops")
    func aWrongCertificateIsStillACertificateProblem() async throws {
        let office = try await Self.aliceWithQueuedNote("wrong-ca")
        let impostor = try await Office.open("wrong-ca-impostor")
        try Self.pointAlice(office, at: impostor.port)

        let sync = try await office.client("alice", ["sync"])
        #expect(sync.status == 1 && !sync.killedBySignal, "\(sync)")
        #expect(sync.stderr.contains("The hub's certificate is not the one pinned at enrollment"), "\(sync.stderr)")
        #expect(try await office.status("alice").queued == 1)

        let watch = try office.spawnClient("alice", ["sync", "--watch", "--interval", "1"])
        defer { watch.send(SIGKILL) }
        #expect(await watch.waitForExit(timeout: .seconds(30)), "sync --watch kept retrying a wrong certificate: \(watch.stderr)")
        #expect(watch.result.status == 1, "\(watch.result)")
        #expect(watch.stderr.contains("certificate is not the one pinned"), "\(watch.stderr)")
        #expect(!watch.stderr.contains("Retrying in"), "\(watch.stderr)")
    }
}
