import Foundation
import HomeshoreCore
import Testing

/// `homeshore-hub agent list | show | token`: the three list formats agree, the table is aligned,
/// `show` lists the agent's devices, and a new token enrolls a second laptop that syncs the same dossiers.
@Suite("Agent administration")
struct AgentAdminTests {
    static let columns = ["login", "name", "role", "team", "status", "languages", "portfolios", "capacity",
                          "dossiers", "devices", "last_sync"]

    struct AgentDetail: Decodable {
        struct Agent: Decodable {
            var login: String
            var name: String
            var role: String
            var status: String
            var devices: Int
            var dossiers: Int
        }
        struct Device: Decodable {
            var id: String
            var name: String
            var status: String
            var createdAt: String
            var lastSyncAt: String?
        }
        var agent: Agent
        var devices: [Device]
    }

    func showAgent(_ office: Office, _ login: String) async throws -> AgentDetail {
        try WireJSON.decode(AgentDetail.self, from: Data(try await office.hubOK(["agent", "show", login, "--format", "json"]).utf8))
    }

    @Test("agent list in json, csv and an aligned table; agent show; agent token enrolls a second laptop")
    func listShowAndToken() async throws {
        let office = try await Office.open("agents")
        let aliceToken = try await office.addAgent("alice", name: "Alice Martin")
        let bobToken = try await office.hubOK(["agent", "add", "bob", "--name", "Bob Lefèvre", "--role", "supervisor",
                                               "--team", "lyon", "--languages", "fr,en", "--portfolios", "ACME,GAZ"])
        #expect(bobToken.hasPrefix("hs1."))
        try await office.clientOK("alice", ["enroll", aliceToken, "--device-name", "laptop-alice"])

        // JSON: an array of objects keyed by column.
        let json = try TextFormats.parseJSONObjects(try await office.hubOK(["agent", "list", "--format", "json"]))
        #expect(json.map { $0["login"] ?? "" } == ["alice", "bob"])
        #expect(json.allSatisfy { Set($0.keys) == Set(Self.columns) }, "keys: \(json.map { $0.keys.sorted() })")
        let alice = try #require(json.first { $0["login"] == "alice" })
        let bob = try #require(json.first { $0["login"] == "bob" })
        #expect(alice["name"] == "Alice Martin")
        #expect(alice["role"] == "agent")
        #expect(alice["status"] == "active")
        #expect(alice["devices"] == "1")
        #expect(bob["name"] == "Bob Lefèvre")
        #expect(bob["role"] == "supervisor")
        #expect(bob["status"] == "active")
        #expect(bob["team"] == "lyon")
        #expect(bob["languages"] == "fr,en")
        #expect(bob["portfolios"] == "ACME,GAZ")
        #expect(bob["devices"] == "0")

        // CSV: a header, then one row per agent, the same values as the JSON.
        let csvText = try await office.hubOK(["agent", "list", "--format", "csv"])
        let csv = try TextFormats.parseCSVObjects(csvText)
        #expect(csv.header == Self.columns)
        #expect(csv.rows == json, "csv:\n\(csvText)")
        #expect(csvText.contains("\"fr,en\""), "a value with a comma is quoted: \(csvText)")

        // Table: every column starts at the same character offset on every line.
        let table = try await office.hubOK(["agent", "list"])
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        try #require(lines.count == 3, "a header and two rows: \(table)")
        #expect(lines[0].split(separator: " ").map(String.init) == Self.columns.map { $0.uppercased() }, "header: \(lines[0])")
        let starts = TextFormats.columnStarts(header: lines[0])
        try #require(starts.count == Self.columns.count, "header: \(lines[0])")
        for (line, row) in zip(lines.dropFirst(), json) {
            let characters = Array(line)
            for (column, start) in zip(Self.columns, starts) {
                let value = Array(row[column] ?? "")
                guard !value.isEmpty else { continue }
                let cell = start + value.count <= characters.count ? Array(characters[start..<(start + value.count)]) : []
                #expect(cell == value, "column \(column) should start at character \(start) in:\n\(lines[0])\n\(line)")
                #expect(start == 0 || characters[start - 1] == " ", "column \(column) in: \(line)")
            }
        }
        let nameStart = starts[1]
        #expect(lines.allSatisfy { Array($0)[nameStart - 1] == " " && Array($0)[nameStart] != " " },
                "the second column starts at character \(nameStart) on every line:\n\(table)")

        // agent show: alice's enrolled laptop.
        let shown = try await showAgent(office, "alice")
        #expect(shown.agent.login == "alice" && shown.agent.role == "agent" && shown.agent.status == "active")
        #expect(shown.devices.map(\.name) == ["laptop-alice"])
        #expect(shown.devices.first?.status == "active")
        let shownText = try await office.hubOK(["agent", "show", "alice"])
        #expect(shownText.contains("laptop-alice"), "agent show: \(shownText)")

        // A new token for alice enrolls a second laptop, which syncs the same dossiers.
        try await office.importSample(count: 20, seed: 17)
        try await office.assign(E2E.refs(3...9), to: "alice")
        try await office.clientOK("alice", ["sync"])
        let second = try await office.hubOK(["agent", "token", "alice"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(second.hasPrefix("hs1.") && !second.contains("\n"), "agent token printed: \(second)")
        #expect(second != aliceToken)
        #expect(try TextFormats.decodeEnrollmentToken(second).secret != (try TextFormats.decodeEnrollmentToken(aliceToken).secret))
        let enrolled = try await office.clientOK("alice-desktop", ["enroll", second, "--device-name", "desktop-alice"])
        #expect(enrolled.contains("alice"), "enroll output: \(enrolled)")
        try await office.clientOK("alice-desktop", ["sync"])
        #expect(try await office.listedReferences("alice-desktop") == E2E.refs(3...9))
        #expect(try await office.listedReferences("alice") == E2E.refs(3...9))
        let hubScope = try CanonicalDump.text(try await office.store().scope(login: "alice"))
        let desktopDump = try office.withReplica("alice-desktop") { try $0.canonicalDump() }
        expectSameText(desktopDump, hubScope, "the second laptop's replica vs the hub's scope for alice")
        try await office.expectConverged("alice")
        #expect(try await office.status("alice-desktop").agent == "alice")

        let both = try await showAgent(office, "alice")
        #expect(both.devices.map(\.name).sorted() == ["desktop-alice", "laptop-alice"])
        #expect(Set(both.devices.map(\.id)).count == 2)
        #expect(both.agent.devices == 2)
        let relisted = try TextFormats.parseJSONObjects(try await office.hubOK(["agent", "list", "--format", "json"]))
        #expect(relisted.first { $0["login"] == "alice" }?["devices"] == "2")
        #expect(relisted.first { $0["login"] == "alice" }?["dossiers"] == "7")

        // A token for nobody: exit 1 and one sentence.
        let unknown = try await office.hubCLI(["agent", "token", "nobody"])
        #expect(unknown.status == 1 && !unknown.killedBySignal, "\(unknown)")
        let message = unknown.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.isEmpty && !message.contains("\n") && message.hasSuffix("."), "one sentence on stderr: \(unknown.stderr)")
        #expect(message.contains("nobody"), "the message names the login: \(message)")
        #expect(!unknown.stdout.contains("hs1."), "no token printed: \(unknown.stdout)")
    }
}
