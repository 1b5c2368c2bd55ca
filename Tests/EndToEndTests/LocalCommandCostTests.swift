import Foundation
import Testing

/// What the agent's local commands do as processes, read from `strace`: no network socket, no
/// SwiftNIO event-loop thread (only `sync`, `enroll` and `lookup` need the hub), no look-up of the
/// account's user or group names (FileManager's file attributes read /etc/passwd and /etc/group).
/// Each is a cost every `homeshore` process would pay before doing its work (issue 10); the test
/// counts what the process does, never how long it takes. `sync` is traced too, so that a trace
/// that could not see NIO's threads cannot pass for one without them.
@Suite("Local command costs")
struct LocalCommandCostTests {
    static let strace = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The lines of one traced run of `homeshore ARGS --home HOME`.
    static func trace(_ office: Office, _ arguments: [String]) async throws -> [Substring] {
        let strace = try #require(strace, "strace is not installed; run `make deps`, which installs it for this test.")
        let file = office.root + "/trace-\(arguments[0])-\(UUID().uuidString.prefix(8)).txt"
        let result = try await runCommand(strace, ["-f", "-qq", "-s", "64", "-o", file, "-e", "trace=socket,connect,openat,prctl",
                                                   E2E.clientBinary] + arguments + ["--home", office.home("alice")],
                                          logDir: office.logs)
        #expect(result.succeeded, "\(result)")
        return try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
    }

    static func nioThreads(_ lines: [Substring]) -> [Substring] {
        lines.filter { $0.contains("PR_SET_NAME") && $0.contains("\"NIO-") }
    }

    @Test("show, list, next, status, call and note open no socket, start no NIO thread and look up no user name")
    func localCommandsStayLocal() async throws {
        let office = try await Office.open("local-costs")
        try await office.enrollAgent("alice", name: "Alice Martin")
        try await office.importSample(count: 5, seed: 11)
        try await office.assign(E2E.refs(1...5), to: "alice")

        let sync = try await Self.trace(office, ["sync"])
        #expect(!Self.nioThreads(sync).isEmpty, "sync names its NIO threads, so the trace shows them:\n\(sync.joined(separator: "\n"))")
        #expect(sync.contains { $0.hasPrefix("socket(") || $0.contains(" socket(") }, "sync opens a socket")

        let commands: [[String]] = [
            ["show", "D-000001"], ["list"], ["list", "--follow-up"], ["next"], ["status"],
            ["call", "D-000002", "--outcome", "no-answer", "--duration", "30s"], ["note", "D-000003", "Rappeler lundi"],
        ]
        for arguments in commands {
            let lines = try await Self.trace(office, arguments)
            let command = arguments.joined(separator: " ")
            #expect(Self.nioThreads(lines).isEmpty, "`\(command)` started NIO threads:\n\(Self.nioThreads(lines).joined(separator: "\n"))")
            let sockets = lines.filter { $0.contains("socket(") || $0.contains("connect(") }
            #expect(sockets.isEmpty, "`\(command)` opened sockets:\n\(sockets.joined(separator: "\n"))")
            let names = lines.filter { $0.contains("/etc/passwd") || $0.contains("/etc/group") || $0.contains("nsswitch") }
            #expect(names.isEmpty, "`\(command)` looked up user or group names:\n\(names.joined(separator: "\n"))")
        }
    }
}
