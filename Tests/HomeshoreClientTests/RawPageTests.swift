import Foundation
import GRDB
@testable import HomeshoreClient
import HomeshoreCore
import Testing

/// Apply stores the hub's own JSON text of each record (RawPage) instead of encoding again what it
/// just decoded (issue 10). The slices must be exactly the records, whatever their strings hold.
@Suite struct RawPageTests {
    static func page(seed: UInt64) -> SyncResponse {
        var random = SeededRandom(seed: seed)
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        let tricky = ["}", "]", "{\"a\":[1,2]}", "\\", "\\\"", "é à ü 😀", "\n\t", ",:", ""]
        let upserts = (0..<25).map { n in
            var change = WorkListTests.randomChange(n, base: base, random: &random)
            change.dossier.notes = random.chance(0.7) ? (0..<3).map { _ in random.pick(tricky) }.joined() : nil
            change.events = change.events.map { event in
                var event = event
                event.payload.text = random.pick(tricky)
                return event
            }
            return change
        }
        return SyncResponse(results: [OpResult(id: "x", status: .applied)], removals: ["gone"], upserts: upserts, cursor: 7, more: true,
                            wipe: false, agent: "alice", hubTime: "2027-01-01T00:00:00.000Z",
                            portfolios: [PortfolioRecord(name: "P", graceDays: 3, planMissedLimit: 2, scripts: ["a": "{{x}} \"}\""])])
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func theSlicesAreTheRecordsAsTheHubWroteThem(seed: UInt64) throws {
        let response = Self.page(seed: seed)
        for body in [try WireJSON.encode(response), Data(try WireJSON.pretty(response).utf8)] {
            let raw = try #require(RawPage.scan(body))
            #expect(raw.matches(response))
            #expect(try raw.dossiers.map { try WireJSON.decode(DossierRecord.self, from: Data($0.utf8)) } == response.upserts.map(\.dossier))
            #expect(try raw.events.map { try $0.map { try WireJSON.decode(EventRecord.self, from: Data($0.utf8)) } } == response.upserts.map(\.events))
        }
    }

    @Test func anAnswerOfAnotherShapeIsNotSliced() throws {
        #expect(RawPage.scan(Data(#"{"upserts":[{"events":[]}]}"#.utf8)) == nil)
        #expect(RawPage.scan(Data(#"{"upserts":[{"dossier":{"id":"a"},"events":[{}]"#.utf8)) == nil)
        #expect(RawPage.scan(Data("[]".utf8)) == nil)
        let empty = try #require(RawPage.scan(Data(#"{"cursor":3,"upserts":[]}"#.utf8)))
        #expect(empty.dossiers.isEmpty)
        let other = Self.page(seed: 4)
        #expect(!(try #require(RawPage.scan(try WireJSON.encode(Self.page(seed: 5))))).matches(other) || other.upserts.isEmpty)
    }

    /// Applying with the slices stores them, and the replica reads exactly as when apply encodes.
    @Test func applyStoresTheHubsTextAndReadsTheSame() throws {
        var response = Self.page(seed: 6)
        response.more = false
        let raw = try #require(RawPage.scan(try WireJSON.encode(response)))
        var replicas: [Replica] = []
        var folders: [String] = []
        defer { for folder in folders { try? FileManager.default.removeItem(atPath: folder) } }
        for useRaw in [false, true] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("raw-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            folders.append(folder)
            let replica = try Replica(path: folder + "/" + Replica.fileName)
            try replica.apply(response, raw: useRaw ? raw : nil, now: Date(timeIntervalSince1970: 1_800_000_000))
            replicas.append(replica)
        }
        let stored = try replicas[1].read { db in try String.fetchAll(db, sql: "SELECT record FROM dossiers ORDER BY rowid") }
        #expect(stored == raw.dossiers)
        #expect(try replicas[0].canonicalDump() == replicas[1].canonicalDump())
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try replicas[0].listLines(now: now) == replicas[1].listLines(now: now))
    }
}
