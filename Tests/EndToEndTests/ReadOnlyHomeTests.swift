import Foundation
import HomeshoreClient
import HomeshoreCore
import Testing

/// Issue 9, point 10: on a read-only home, `status`, `list`, `show`, `search` and `next` work and
/// writing commands are refused with one sentence.
///
/// How the folder is made read-only: tests run as root, and root ignores permission bits, so a chmod
/// proves nothing. A read-only mount binds root too. Each command runs in its own mount namespace
/// (`unshare --mount`) where the agent's folder is bind-mounted read-only over itself: the binary sees
/// EROFS exactly as on a read-only mount, the rest of the machine never sees the mount, and it ends
/// with the command, so a failing test leaves nothing mounted. (`chattr +i` would work on ext4 too,
/// but survives a crashed test and needs a file system that supports it.)
@Suite("A read-only home", .enabled(if: ReadOnlyMount.available, "needs unshare(1) and mount(8) with CAP_SYS_ADMIN"))
struct ReadOnlyHomeTests {
    /// alice holds D-000001…D-000003 (24 h calling window, so `next` always proposes one) with a note queued.
    static func aliceWithQueuedNote(_ label: String) async throws -> Office {
        let office = try await Office.open(label)
        try await office.enrollAgent("alice", name: "Alice Martin")
        try await office.importSample(count: 5, seed: 7)
        try await office.hubOK(["portfolio", "set", "ACME", "--window", "mon-sun 00:00-24:00"])
        try await office.assign(E2E.refs(1...3), to: "alice")
        try await office.clientOK("alice", ["sync"])
        try await office.clientOK("alice", ["note", "D-000002", "queued before the mount"])
        return office
    }

    /// `homeshore ARGS --home HOME` with HOME mounted read-only.
    static func readOnly(_ office: Office, home: String, _ arguments: [String]) async throws -> CommandResult {
        try await ReadOnlyMount.run(folder: home, E2E.clientBinary, arguments + ["--home", home], logDir: office.logs)
    }

    static func statusJSON(_ office: Office, home: String) async throws -> Office.ClientStatus {
        let result = try await readOnly(office, home: home, ["status", "--format", "json"])
        guard result.succeeded else { throw E2EError("status on the read-only home failed: \(result)") }
        return try WireJSON.decode(Office.ClientStatus.self, from: Data(result.stdout.utf8))
    }

    static func pendingNotes(_ office: Office, home: String, _ reference: String) async throws -> [String] {
        let result = try await readOnly(office, home: home, ["show", reference, "--format", "json"])
        guard result.succeeded else { throw E2EError("show on the read-only home failed: \(result)") }
        let shown = try WireJSON.decode(Office.ShownDossier.self, from: Data(result.stdout.utf8))
        return shown.history.filter { $0.pending && $0.kind == "note" }.compactMap(\.payload.text)
    }

    @Test("Reading commands work on a read-only home after a clean exit; writing commands are refused with one sentence")
    func readingWorksWritingIsRefused() async throws {
        let office = try await Self.aliceWithQueuedNote("read-only")
        let home = office.home("alice")
        // After a clean exit SQLite leaves neither -wal nor -shm: the case a read-only WAL open cannot
        // handle without help.
        #expect(!FileManager.default.fileExists(atPath: home + "/replica.sqlite-shm"))
        let before = try ReadOnlyMount.contents(of: home)

        // The mount is really read-only, for root too.
        let probe = try await ReadOnlyMount.run(folder: home, "/bin/sh", ["-c", "touch \"$0/probe\"", home], logDir: office.logs)
        try #require(!probe.succeeded && probe.stderr.contains("Read-only file system"), "the folder is not read-only: \(probe)")

        let status = try await Self.statusJSON(office, home: home)
        #expect(status.agent == "alice" && status.dossiers == 3 && status.queued == 1, "\(status)")
        let text = try await Self.readOnly(office, home: home, ["status"])
        #expect(text.succeeded && text.stdout.contains("Queued ops:     1"), "\(text)")

        let list = try await Self.readOnly(office, home: home, ["list", "--format", "json"])
        #expect(list.succeeded, "\(list)")
        #expect(try TextFormats.parseJSONObjects(list.stdout).compactMap { $0["reference"] }.sorted() == E2E.refs(1...3))
        let followUp = try await Self.readOnly(office, home: home, ["list", "--follow-up"])
        #expect(followUp.succeeded, "\(followUp)")
        #expect(try await Self.pendingNotes(office, home: home, "D-000002") == ["queued before the mount"])
        let search = try await Self.readOnly(office, home: home, ["search", "D-000003", "--format", "json"])
        #expect(search.succeeded && search.stdout.contains("D-000003"), "\(search)")
        let next = try await Self.readOnly(office, home: home, ["next"])
        #expect(next.succeeded && next.stdout.hasPrefix("Next: D-00000"), "\(next)")

        // Writing: exit 1, one sentence naming the problem, nothing else said.
        let writes: [[String]] = [
            ["note", "D-000001", "must not be written"],
            ["call", "D-000001", "--outcome", "no-answer"],
            ["callback", "D-000001", "--at", "2030-01-07 10:00"],
            ["sync"],
        ]
        for arguments in writes {
            let result = try await Self.readOnly(office, home: home, arguments)
            let command = arguments.joined(separator: " ")
            #expect(result.status == 1 && !result.killedBySignal, "`\(command)`: \(result)")
            let lines = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n")
            #expect(lines.count == 1, "`\(command)`: one sentence: \(result.stderr)")
            #expect(result.stderr.contains("\(home) is read-only"), "`\(command)`: \(result.stderr)")
            #expect(!result.stdout.contains("recorded"), "`\(command)`: \(result.stdout)")
        }

        // Nothing in the folder changed, and once writable again the queued note is still the only one.
        #expect(try ReadOnlyMount.contents(of: home) == before, "the read-only folder changed")
        #expect(try await office.status("alice").queued == 1)
    }

    @Test("A read-only home read while a writer holds it open, and after a crash left a WAL without its index")
    func walStatesAreReadWhole() async throws {
        let office = try await Self.aliceWithQueuedNote("read-only-wal")
        let home = office.home("alice")
        // Another process (this one) holds the replica open and has a note only in the WAL.
        let holder = try Replica(path: home + "/" + Replica.fileName)
        defer { try? holder.close() }
        try holder.record(kind: .note, dossierId: try holder.dossierId(reference: "D-000003"), payload: OpPayload(text: "only in the WAL"))
        #expect(FileManager.default.fileExists(atPath: home + "/replica.sqlite-shm"))
        #expect((try FileManager.default.attributesOfItem(atPath: home + "/replica.sqlite-wal")[.size] as? Int ?? 0) > 0)

        #expect(try await Self.statusJSON(office, home: home).queued == 2)
        #expect(try await Self.pendingNotes(office, home: home, "D-000003") == ["only in the WAL"])

        // The state a crash leaves: the database and its WAL, no -shm; read-only, the WAL must still be read.
        let crashed = office.root + "/agents/crashed"
        try FileManager.default.createDirectory(atPath: crashed, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for file in ["replica.sqlite", "replica.sqlite-wal", "enrollment.json"] {
            try FileManager.default.copyItem(atPath: home + "/" + file, toPath: crashed + "/" + file)
        }
        let before = try ReadOnlyMount.contents(of: crashed)
        let status = try await Self.statusJSON(office, home: crashed)
        #expect(status.agent == "alice" && status.queued == 2, "\(status)")
        #expect(try await Self.pendingNotes(office, home: crashed, "D-000003") == ["only in the WAL"])
        let list = try await Self.readOnly(office, home: crashed, ["list"])
        #expect(list.succeeded, "\(list)")
        #expect(try ReadOnlyMount.contents(of: crashed) == before, "the read-only folder changed")
    }
}

/// A folder mounted read-only for one command, in a mount namespace of its own.
enum ReadOnlyMount {
    static let script = "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\""

    /// Whether this machine lets us do it (root or CAP_SYS_ADMIN, util-linux present).
    static let available: Bool = {
        #if os(Linux)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ro-probe-\(UUID().uuidString.prefix(8))").path
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", folder, "/bin/sh", "-c", "! touch \"$0/x\" 2>/dev/null", folder]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
        #else
        return false
        #endif
    }()

    static func run(folder: String, _ executable: String, _ arguments: [String], logDir: String) async throws -> CommandResult {
        try await runCommand("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", folder, executable] + arguments,
                             logDir: logDir)
    }

    /// Every file of a folder with its bytes and mode, to show that nothing changed.
    static func contents(of folder: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let path = folder + "/" + name
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let data = FileManager.default.contents(atPath: path) ?? Data()
            result[name] = "\(attributes[.posixPermissions] ?? "?") " + data.base64EncodedString()
        }
        return result
    }
}
