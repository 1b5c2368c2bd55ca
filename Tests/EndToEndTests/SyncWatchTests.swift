import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HomeshoreCore
import Testing

/// `homeshore sync --watch`: keeps retrying with a growing backoff while the hub is down, delivers the
/// queued work once it is back, and stops cleanly (exit 0) on Ctrl-C.
@Test("sync --watch backs off while the hub is down, delivers once it is back, and stops on Ctrl-C")
func syncWatchRidesOutAnOutage() async throws {
    let office = try await Office.open("watch")
    try await office.enrollAgent("alice", name: "Alice Martin")
    try await office.importSample(count: 10, seed: 31)
    try await office.assign(E2E.refs(1...5), to: "alice")
    try await office.clientOK("alice", ["sync"])

    let stopped = try await office.stopHub()
    #expect(stopped.succeeded, "SIGTERM should stop the hub with exit 0: \(stopped)")
    let noteText = "noted while the hub was down"
    try await office.clientOK("alice", ["note", "D-000003", noteText])
    #expect(try await office.status("alice").queued == 1)
    let queuedId = try #require(try office.withReplica("alice") { try $0.queued().map(\.op.id) }.first)

    let watch = try office.spawnClient("alice", ["sync", "--watch", "--interval", "1"])
    defer { watch.send(SIGKILL) }

    /// The seconds of each "Retrying in N s." line, in order.
    func retryDelays() -> [Int] {
        watch.stderr.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: "Retrying in ") else { return nil }
            return Int(line[range.upperBound...].prefix(while: \.isNumber))
        }
    }

    // Two failed attempts, with their backoff, before the hub comes back.
    let retried = await waitUntil(.seconds(90)) { retryDelays().count >= 2 || !watch.isRunning }
    try #require(watch.isRunning, "the watcher ended while the hub was down: \(watch.stderr)")
    try #require(retried, "no two \"Retrying in\" lines within 90 s; stderr:\n\(watch.stderr)")
    let delaysWhileDown = retryDelays()
    #expect(zip(delaysWhileDown, delaysWhileDown.dropFirst()).allSatisfy { $0 <= $1 },
            "the backoff should never shrink while the hub is down: \(delaysWhileDown)")
    #expect((delaysWhileDown.last ?? 0) > (delaysWhileDown.first ?? 0), "the backoff should grow: \(delaysWhileDown)")
    #expect(watch.stderr.contains("stay queued"), "stderr should say the work stays queued: \(watch.stderr)")
    #expect(try await office.store().eventCount(kind: "note") == 0)

    try await office.startHub()
    let store = try office.store()
    // Delivered means the hub holds the note and the watcher has applied the hub's answer.
    let delivered = try await waitUntil(.seconds(120), every: .milliseconds(200)) {
        guard watch.isRunning else { return true }
        guard try await store.eventCount(kind: "note") >= 1 else { return false }
        return try await office.status("alice").queued == 0
    }
    try #require(watch.isRunning, "the watcher ended on its own after the hub came back: \(watch.stderr)")
    try #require(delivered, "the watcher did not deliver the note within 120 s of the hub coming back; stderr:\n\(watch.stderr)")

    // Ctrl-C.
    watch.send(SIGINT)
    let ended = await watch.waitForExit(timeout: .seconds(20))
    try #require(ended, "sync --watch did not stop within 20 s of SIGINT; stderr:\n\(watch.stderr)")
    let result = watch.result
    #expect(result.succeeded, "sync --watch should exit 0 on Ctrl-C: \(result)")
    #expect(result.stderr.contains("Stopped"), "stderr should say it stopped: \(result.stderr)")

    // The note is on the hub exactly once, by its id, and nothing is left queued.
    #expect(try await store.eventCount(kind: "note") == 1)
    let notes = try await store.scope(login: "alice").flatMap(\.events).filter { $0.kind == "note" }
    #expect(notes.map(\.id) == [queuedId])
    #expect(notes.first?.payload.text == noteText)
    let status = try await office.status("alice")
    #expect(status.queued == 0)
    #expect(status.rejected.isEmpty, "refused ops: \(status.rejected)")
    try await office.expectConverged("alice")
}
