import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

/// Reading commands open the replica read-only: they read everything (queued work included) and
/// change nothing; a write through such a replica is refused with one sentence. A truly read-only
/// folder (a read-only mount, which binds root too) is exercised end to end in ReadOnlyHomeTests.
@Suite struct ReadOnlyReplicaTests {
    @Test func aReadOnlyReplicaReadsEverythingAndRefusesWrites() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 3)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(LiveHub.refs(1...3), to: "alice")
            _ = try await alice.sync()
            try alice.note("D-000002", text: "queued before reading")
            try alice.replica.close()
            let before = try Data(contentsOf: URL(fileURLWithPath: alice.home.replicaPath))

            let reader = try Desk(home: alice.home, access: .readOnly)
            let status = try reader.status()
            #expect(status.agent == "alice" && status.queued == 1 && status.dossiers == 3)
            #expect(try reader.replica.list().count == 3)
            #expect(try reader.replica.search("D-000002").map(\.reference) == ["D-000002"])
            #expect(try reader.replica.view(reference: "D-000002").history.first?.payload.text == "queued before reading")
            _ = try reader.replica.next()

            let refused = #expect(throws: HomeshoreError.self) { try reader.note("D-000001", text: "must not be written") }
            #expect(refused?.code == "replica_read_only")
            #expect(refused?.message.contains("opened for reading only") == true, "\(refused?.message ?? "")")
            #expect(try reader.status().queued == 1)
            try reader.replica.close()
            #expect(try Data(contentsOf: URL(fileURLWithPath: alice.home.replicaPath)) == before, "a read-only open changed the file")
        }
    }

    @Test func readingAFolderWithoutReplicaCreatesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ro-\(UUID().uuidString)/home").path
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let reader = try Desk(home: ClientHome(folder), access: .readOnly)
        #expect(!reader.isEnrolled)
        #expect(try reader.status().agent == nil)
        #expect(try reader.replica.list().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder), "a reading command created the folder")
    }
}
