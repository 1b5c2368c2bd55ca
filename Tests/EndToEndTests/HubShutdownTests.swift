import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HomeshoreClient
import HomeshoreCore
import Testing

/// `homeshore-hub serve` stopped with SIGTERM while an agent syncs: the hub lets the request in flight
/// finish and exits 0, the client ends with 0 (done) or 3 (hub gone, work queued), and the next sync
/// against the restarted hub completes with nothing lost and nothing doubled.
@Suite("Hub graceful shutdown")
struct HubShutdownTests {
    static let dossierCount = 2_000
    static let firstHeld = 100
    static let callCount = 300
    /// Increasing delays between starting `sync` and SIGTERM to the hub.
    static let termDelays: [Int] = [60, 120, 200, 300, 400, 550, 700, 900, 1_100, 1_400, 1_800, 2_300, 3_000, 4_000]

    struct TermReport: CustomStringConvertible {
        var attempts = 0
        /// SIGTERM sent while the client ran and after the hub had started answering it.
        var landedMidSync = 0
        /// Of those, the hub logged a sync answer after the SIGTERM: a request in flight was finished.
        var finishedInFlight = 0
        var clientExits: [Int32] = []
        var description: String {
            "attempts \(attempts), landed mid-sync \(landedMidSync), in-flight answers finished \(finishedInFlight), client exits \(clientExits)"
        }
    }

    @Test("SIGTERM to the hub during a sync: hub exits 0, client 0 or 3, then every call lands once")
    func sigtermDuringSync() async throws {
        let office = try await Office.open("sigterm")
        try await office.enrollAgent("alice", name: "Alice Martin")
        try await office.importSample(count: Self.dossierCount, seed: 2025)
        try await office.assign(E2E.refs(1...Self.firstHeld), to: "alice")
        try await office.clientOK("alice", ["sync"])

        // 300 calls queued. They are recorded through the client library's Desk (the same code the
        // `call` command runs) to keep the test short; syncing and both servers are real processes.
        let outcomes = OutcomeCode.allCases.filter { $0 != .promise }.map(\.rawValue)
        let desk = try Desk(home: ClientHome(office.home("alice")))
        for index in 0..<Self.callCount {
            try desk.call(E2E.ref(1 + index % Self.firstHeld), outcome: outcomes[index % outcomes.count],
                          durationSeconds: 30 + index, note: "sigterm call \(index)", at: nil)
        }
        try desk.replica.close()
        let queuedIds = Set(try office.withReplica("alice") { try $0.queued().map(\.op.id) })
        #expect(queuedIds.count == Self.callCount)
        // And the rest of the portfolio waits to be pulled: the sync pushes 2 batches, then pulls 10 pages.
        try await office.assign(E2E.refs((Self.firstHeld + 1)...Self.dossierCount), to: "alice")

        var report = TermReport()
        for delay in Self.termDelays {
            report.attempts += 1
            if office.hub == nil { try await office.startHub() }
            let hub = try #require(office.hub)
            let answeredBeforeSync = TextFormats.lines(of: hub.log, containing: "POST /v1/sync 200").count
            let sync = try office.spawnClient("alice", ["sync"])
            await pause(.milliseconds(delay))
            let clientWasRunning = sync.isRunning
            let answeredBeforeTerm = TextFormats.lines(of: hub.log, containing: "POST /v1/sync 200").count
            hub.child.send(SIGTERM)
            let hubEnded = await hub.child.waitForExit(timeout: .seconds(30))
            let hubResult = try await office.stopHub() // SIGKILLs it if it did not end
            #expect(hubEnded, "the hub did not exit within 30 s of SIGTERM (delay \(delay) ms)")
            #expect(hubResult.succeeded, "SIGTERM should stop the hub with exit 0 (delay \(delay) ms): \(hubResult)")

            let clientEnded = await sync.waitForExit(timeout: .seconds(120))
            try #require(clientEnded, "sync did not end within 120 s of the hub stopping")
            let result = sync.result
            sync.removeLogs()
            report.clientExits.append(result.killedBySignal ? -result.status : result.status)
            #expect(!result.killedBySignal && (result.status == 0 || result.status == 3),
                    "sync must end with 0 or 3 when the hub stops (delay \(delay) ms): \(result)")
            if result.status == 3 {
                #expect(result.stderr.contains("stay queued"), "stderr: \(result.stderr)")
            }

            let answered = TextFormats.lines(of: hubResult.stderr, containing: "POST /v1/sync 200").count
            if clientWasRunning && answered > answeredBeforeSync {
                report.landedMidSync += 1
                if answered > answeredBeforeTerm { report.finishedInFlight += 1 }
            }
            // Enough once a SIGTERM caught a request in flight, or once a sync got to its end.
            if report.finishedInFlight > 0 || result.status == 0 { break }
        }
        print("sigtermDuringSync: \(report)")
        #expect(report.landedMidSync >= 1, "no SIGTERM landed while the client was syncing: \(report)")

        if office.hub == nil { try await office.startHub() }
        let final = try await office.clientOK("alice", ["sync"], timeout: .seconds(180))
        #expect(final.hasPrefix("Synced:"), "sync output: \(final)")
        let store = try office.store()
        #expect(try await store.eventCount(kind: "call") == Self.callCount)
        let calls = try await store.scope(login: "alice").flatMap(\.events).filter { $0.kind == "call" }
        #expect(Set(calls.map(\.id)) == queuedIds, "the hub holds each queued call once, by id")
        let status = try await office.status("alice")
        #expect(status.queued == 0)
        #expect(status.rejected.isEmpty, "refused ops: \(status.rejected)")
        #expect(status.dossiers == Self.dossierCount)
        try await office.expectConverged("alice")
        let stopped = try await office.stopHub()
        #expect(stopped.succeeded, "an idle hub stops with exit 0: \(stopped)")
    }
}
