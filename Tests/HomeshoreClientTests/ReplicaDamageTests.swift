import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

/// A replica that is empty, unreadable or gone is reported as damaged, with what is known of what
/// was lost, and left as it is: never read as "not enrolled", never silently recreated.
@Suite struct ReplicaDamageTests {
    /// alice enrolled and synced on D-000001…D-000002, with a note queued after the sync; the desk is closed.
    static func aliceWithQueuedWork(_ hub: LiveHub) async throws -> ClientHome {
        try await hub.importSample(count: 2)
        let alice = try await hub.enrolledDesk("alice")
        try await hub.assign(LiveHub.refs(1...2), to: "alice")
        _ = try await alice.sync()
        try alice.note("D-000001", text: "not yet sent")
        try alice.replica.close()
        return alice.home
    }

    static func removeSideFiles(_ home: ClientHome) {
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: home.replicaPath + suffix) }
    }

    static func damage(opening home: ClientHome, access: Replica.Access) -> HomeshoreError? {
        do {
            _ = try Desk(home: home, access: access)
            return nil
        } catch let error as HomeshoreError {
            return error
        } catch {
            return HomeshoreError("unexpected", "\(error)")
        }
    }

    @Test func anEmptyReplicaIsDamagedNotUnenrolledAndIsLeftAsItIs() async throws {
        try await LiveHub.run { hub in
            let home = try await Self.aliceWithQueuedWork(hub)
            let lastSync = try #require(try Replica(path: home.replicaPath, access: .readOnly).meta(.lastSyncAt))
            Self.removeSideFiles(home)
            try Data().write(to: URL(fileURLWithPath: home.replicaPath))

            for access in [Replica.Access.readWrite, .readOnly] {
                let error = try #require(Self.damage(opening: home, access: access), "\(access) opened an empty replica")
                #expect(error.code == "replica_damaged", "\(access): \(error.code): \(error.message)")
                #expect(error.message.contains("is damaged: it is empty"), "\(error.message)")
                #expect(error.message.contains("enrolled as alice"), "what was lost: \(error.message)")
                #expect(error.message.contains("last synced \(lastSync)"), "\(error.message)")
                #expect(!error.message.lowercased().contains("not enrolled"), "\(error.message)")
            }
            // Nothing was recreated over it.
            let size = try FileManager.default.attributesOfItem(atPath: home.replicaPath)[.size] as? Int
            #expect(size == 0)
        }
    }

    @Test func anEmptyReplicaWithoutAnyRecordIsStillDamaged() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("damage-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let home = ClientHome(folder)
        try Data().write(to: URL(fileURLWithPath: home.replicaPath))
        let error = try #require(Self.damage(opening: home, access: .readWrite))
        #expect(error.code == "replica_damaged")
        #expect(error.message.contains("no enrollment is on record"), "\(error.message)")
        #expect(try FileManager.default.attributesOfItem(atPath: home.replicaPath)[.size] as? Int == 0)
    }

    @Test func aReplicaThatIsNotADatabaseIsDamaged() async throws {
        try await LiveHub.run { hub in
            let home = try await Self.aliceWithQueuedWork(hub)
            Self.removeSideFiles(home)
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: home.replicaPath))
            let error = try #require(Self.damage(opening: home, access: .readOnly))
            #expect(error.code == "replica_damaged", "\(error.code): \(error.message)")
            #expect(error.message.contains("cannot be read"), "\(error.message)")
            #expect(error.message.contains("enrolled as alice"), "\(error.message)")
        }
    }

    @Test func aReplicaWithItsPagesOverwrittenIsDamagedWhenRead() async throws {
        try await LiveHub.run { hub in
            let home = try await Self.aliceWithQueuedWork(hub)
            Self.removeSideFiles(home)
            // Keep the first page (header and schema), scramble every other one.
            let original = try Data(contentsOf: URL(fileURLWithPath: home.replicaPath))
            var scrambled = original.prefix(4096)
            scrambled.append(Data(repeating: 0xA5, count: original.count - 4096))
            try scrambled.write(to: URL(fileURLWithPath: home.replicaPath))
            let error: HomeshoreError? = {
                do {
                    let desk = try Desk(home: home, access: .readOnly)
                    _ = try desk.status()
                    _ = try desk.replica.list()
                    return nil
                } catch let error as HomeshoreError {
                    return error
                } catch {
                    return HomeshoreError("unexpected", "\(error)")
                }
            }()
            let failure = try #require(error, "a scrambled replica read as if whole")
            #expect(failure.code == "replica_damaged", "\(failure.code): \(failure.message)")
        }
    }

    @Test func aVanishedReplicaOfAnEnrolledFolderIsMissingNotRecreated() async throws {
        try await LiveHub.run { hub in
            let home = try await Self.aliceWithQueuedWork(hub)
            Self.removeSideFiles(home)
            try FileManager.default.removeItem(atPath: home.replicaPath)
            let error = try #require(Self.damage(opening: home, access: .readWrite))
            #expect(error.code == "replica_damaged")
            #expect(error.message.contains("it is missing"), "\(error.message)")
            #expect(!FileManager.default.fileExists(atPath: home.replicaPath), "a new replica was made in its place")
        }
    }

    @Test func aRevokedLaptopIsWipedNotDamaged() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 1)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.admin.store.setStatus(login: "alice", to: .revoked, now: Date())
            await #expect(throws: HomeshoreError.self) { _ = try await alice.sync() }
            try alice.replica.close()
            let again = try Desk(home: alice.home, access: .readOnly)
            #expect(!again.isEnrolled)
            #expect(try again.status().agent == nil)
        }
    }
}
