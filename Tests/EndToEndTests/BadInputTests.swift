import Foundation
import HomeshoreCore
import Testing

/// Issue point 9, scenario 6: mistakes on the command line are refused with one sentence and the
/// right exit code, and change nothing.
@Suite("Bad command-line input")
struct BadInputTests {
    @Test("An unknown call outcome exits 1 naming it, and queues nothing")
    func unknownOutcome() async throws {
        let office = try await Office.open("bad-outcome")
        try await office.enrollAgent("alice", name: "Alice Martin")
        try await office.importSample(count: 5, seed: 3)
        try await office.assign(["D-000001"], to: "alice")
        try await office.clientOK("alice", ["sync"])

        let result = try await office.client("alice", ["call", "D-000001", "--outcome", "nonsense", "--duration", "1m"])
        #expect(result.status == 1 && !result.killedBySignal, "\(result)")
        #expect(result.stderr.contains("\"nonsense\" is not an outcome"), "stderr: \(result.stderr)")
        #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1,
                "one sentence on stderr: \(result.stderr)")
        #expect(!result.stdout.contains("recorded"), "stdout: \(result.stdout)")
        #expect(try await office.status("alice").queued == 0)
        #expect(try office.withReplica("alice") { try $0.queuedCount().count } == 0)
        #expect(try await office.show("alice", "D-000001").history.allSatisfy { $0.kind != "call" })
    }

    @Test("Missing arguments are a usage error (exit 2)")
    func missingArguments() async throws {
        try E2E.requireBinaries()
        let folder = try E2E.makeTempFolder("usage")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let call = try await runCommand(E2E.clientBinary, ["call", "--home", folder + "/home"], logDir: folder + "/logs")
        #expect(call.status == 2 && !call.killedBySignal, "\(call)")
        #expect(call.stderr.contains("<reference>"), "stderr: \(call.stderr)")
        let bare = try await runCommand(E2E.clientBinary, ["call"], logDir: folder + "/logs")
        #expect(bare.status == 2 && !bare.killedBySignal, "\(bare)")
    }

    @Test("init on an existing hub folder exits 1 and changes nothing")
    func initTwice() async throws {
        let office = try await Office.open("init-twice", serve: false)
        _ = try await office.addAgent("alice", name: "Alice Martin")
        let before = try snapshot(office.data)
        #expect(before["hub.json"] != nil && before["hub.sqlite"] != nil && before["ca.pem"] != nil)

        let again = try await office.hubCLI(["init", "--public-url", "https://localhost:9"])
        #expect(again.status == 1 && !again.killedBySignal, "\(again)")
        #expect(again.stderr.contains("already holds a hub"), "stderr: \(again.stderr)")
        #expect(again.stderr.contains("nothing was changed"), "stderr: \(again.stderr)")
        let after = try snapshot(office.data)
        #expect(after.keys.sorted() == before.keys.sorted())
        for (name, file) in before {
            #expect(after[name]?.contents == file.contents, "\(name) changed")
            #expect(after[name]?.modified == file.modified, "\(name) was touched")
        }
        let config = try #require(after["hub.json"]).contents
        #expect(String(decoding: config, as: UTF8.self).contains("https://127.0.0.1:\(office.port)"))
        // The hub still knows its agent.
        let agents = try await office.hubOK(["agent", "list", "--format", "csv"])
        #expect(agents.contains("alice"))
    }

    @Test("Enrolling with a garbage token exits 1 and leaves the laptop unenrolled")
    func garbageToken() async throws {
        try E2E.requireBinaries()
        let folder = try E2E.makeTempFolder("garbage-token")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let home = folder + "/home"
        let result = try await runCommand(E2E.clientBinary, ["enroll", "garbage", "--home", home], logDir: folder + "/logs")
        #expect(result.status == 1 && !result.killedBySignal, "\(result)")
        #expect(result.stderr.contains("not a Homeshore enrollment token"), "stderr: \(result.stderr)")
        let status = try await runCommand(E2E.clientBinary, ["status", "--format", "json", "--home", home], logDir: folder + "/logs")
        #expect(status.succeeded)
        #expect(try WireJSON.decode(Office.ClientStatus.self, from: Data(status.stdout.utf8)).agent == nil)
    }

    @Test("A token with an altered fingerprint is refused before its secret is sent")
    func alteredFingerprint() async throws {
        let office = try await Office.open("fingerprint")
        let genuine = try await office.addAgent("alice", name: "Alice Martin")
        var token = try EnrollmentToken(decoding: genuine)
        let real = token.fingerprint
        token.fingerprint = String(real.reversed())
        if token.fingerprint == real { token.fingerprint = String(repeating: "ab", count: 32) }
        #expect(token.fingerprint.count == 64 && token.fingerprint != real)
        let forged = token.encoded
        #expect(forged != genuine)

        let refused = try await office.client("alice", ["enroll", forged, "--device-name", "laptop-alice"])
        #expect(refused.status == 1 && !refused.killedBySignal, "\(refused)")
        #expect(refused.stderr.contains("fingerprint"), "stderr should explain the certificate mismatch: \(refused.stderr)")
        #expect(refused.stderr.contains("certificate"), "stderr: \(refused.stderr)")
        #expect(try await office.status("alice").agent == nil)

        // The secret never reached the hub: the genuine token, same secret, still works.
        try await office.clientOK("alice", ["enroll", genuine, "--device-name", "laptop-alice"])
        #expect(try await office.status("alice").agent == "alice")
        let enrollRequests = await requestLines(of: office, path: "/v1/enroll", atLeast: 1)
        #expect(enrollRequests.count == 1, "the hub should have seen one enrollment request: \(enrollRequests)")
        #expect(enrollRequests.first?.contains(" 200 ") == true, "\(enrollRequests)")
    }

    struct FileState: Equatable {
        var contents: Data
        var modified: Date?
    }

    func snapshot(_ folder: String) throws -> [String: FileState] {
        var files: [String: FileState] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let path = folder + "/" + name
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            files[name] = FileState(contents: FileManager.default.contents(atPath: path) ?? Data(),
                                    modified: attributes[.modificationDate] as? Date)
        }
        return files
    }

    /// The hub's request-log lines for `path`, waiting a little for the log to reach the file.
    func requestLines(of office: Office, path: String, atLeast count: Int) async -> [String] {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let lines = (office.hub?.log ?? "").split(separator: "\n").map(String.init).filter { $0.contains(" \(path) ") }
            if lines.count >= count || ContinuousClock.now >= deadline { return lines }
            await pause(.milliseconds(100))
        }
    }
}
