import Foundation
@testable import HomeshoreClient
import Testing

/// Opening the replica for writing writes nothing: a recording command's only commit (and fsync) is
/// its op's. A DatabasePool committed a set-up transaction of its own whenever it found no WAL,
/// which is how every `homeshore call` found the replica, the last command having removed it (issue 10).
@Suite("Replica open cost")
struct ReplicaOpenCostTests {
    static func walSize(_ path: String) -> Int64 { Replica.fileSize(path + "-wal") ?? 0 }

    @Test("a replica opened for writing has written nothing to its WAL until something is recorded")
    func openingForWritingWritesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("open-cost-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + Replica.fileName
        try Replica(path: path).close()
        #expect(Self.walSize(path) == 0, "a closed replica leaves no WAL behind")

        let replica = try Replica(path: path)
        #expect(Self.walSize(path) == 0, "opening for writing wrote \(Self.walSize(path)) bytes of WAL")
        #expect(try replica.meta(.deviceId) == nil)
        #expect(Self.walSize(path) == 0, "reading wrote to the WAL")
        try replica.setMeta(.deviceId, "device-1")
        #expect(Self.walSize(path) > 0, "a write reaches the WAL, so the checks above can see one")
        try replica.close()

        let reopened = try Replica(path: path)
        #expect(try reopened.meta(.deviceId) == "device-1")
        #expect(Self.walSize(path) == 0)
    }
}
