import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 5, `GET /v1/reports/{name}`: supervisors and admins only (dashboard session or their
/// device token), the very tables of `homeshore-hub report`, as JSON or spreadsheet-ready CSV.
@Suite struct ReportsAPITests {
    static func uri(_ name: ReportName, _ query: String = "") -> String {
        // The dossiers report is per portfolio; the others ignore one they are not filtered by.
        "/v1/reports/\(name.rawValue)?portfolio=P" + (query.isEmpty ? "" : "&" + query)
    }

    @Test func everyReportRefusesAnyoneButSupervisorsAndAdmins() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.fixture.account("ada", role: .admin)
        try await hub.fixture.account("alice", role: .agent)
        let supervisorToken = try await hub.fixture.agentWithDevice("sam")
        let adminToken = try await hub.fixture.agentWithDevice("ada")
        let supervisorSession = try await hub.fixture.sessionCookie(for: "sam")
        let agentSession = try await hub.fixture.sessionCookie(for: "alice")
        try await hub.app().test(.router) { client in
            for name in ReportName.allCases {
                let uri = Self.uri(name)
                var answer = try await client.get(uri)
                #expect(answer.status == .unauthorized, "\(uri) with no credentials")
                #expect(Self.error(answer)?.code == "unauthenticated")
                answer = try await client.get(uri, bearer: "not-a-token")
                #expect(answer.status == .unauthorized, "\(uri) with an unknown token")
                answer = try await client.get(uri, cookie: "hs_session=\(Secrets.randomToken())")
                #expect(answer.status == .unauthorized, "\(uri) with an unknown session")

                answer = try await client.get(uri, bearer: hub.token)
                #expect(answer.status == .forbidden, "\(uri) with an agent's device token")
                #expect(Self.error(answer)?.code == "forbidden")
                answer = try await client.get(uri, cookie: agentSession)
                #expect(answer.status == .forbidden, "\(uri) with an agent's session")

                for (who, cookie, token) in [("supervisor session", supervisorSession, nil), ("supervisor token", nil, supervisorToken),
                                             ("admin token", nil, adminToken)] as [(String, String?, String?)] {
                    answer = try await client.get(uri, cookie: cookie, bearer: token)
                    #expect(answer.status == .ok, "\(uri) with a \(who): \(answer.text.prefix(200))")
                    #expect(answer.headers[.contentType] == "application/json")
                    #expect(answer.headers[.cacheControl] == "no-store")
                }
            }
            // A revoked supervisor's laptop reads nothing more.
            try await hub.store.setStatus(login: "sam", to: .revoked, now: hub.clock)
            #expect(try await client.get(Self.uri(.agents), bearer: supervisorToken).status == .unauthorized)
            #expect(try await client.get(Self.uri(.agents), cookie: supervisorSession).status == .unauthorized)
        }
    }

    @Test func unknownReportsAndBadParametersAreNamed() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        let cookie = try await hub.fixture.sessionCookie(for: "sam")
        try await hub.app().test(.router) { client in
            var answer = try await client.get("/v1/reports/salaries", cookie: cookie)
            #expect(answer.status == .notFound)
            #expect(Self.error(answer)?.code == "unknown_report")
            for name in ReportName.allCases { #expect(Self.error(answer)?.message.contains(name.rawValue) == true) }

            for (query, named) in [("from=2027-02-30", "from"), ("to=yesterday", "to"), ("from=2027-02-01&to=2027-01-01", "from=2027-02-01"),
                                   ("format=xlsx", "format"), ("team=" + String(repeating: "x", count: 201), "team")] {
                answer = try await client.get("/v1/reports/agents?" + query, cookie: cookie)
                #expect(answer.status == .badRequest, "\(query)")
                #expect(Self.error(answer)?.message.contains(named) == true, "\(query): \(Self.error(answer)?.message ?? "")")
            }
            answer = try await client.get("/v1/reports/dossiers", cookie: cookie)
            #expect(answer.status == .badRequest)
            #expect(Self.error(answer)?.code == "portfolio_required")
        }
    }

    @Test func jsonAndCSVAreTheTablesOfTheCLIForTheSamePeriod() async throws {
        let hub = try await DashboardHub.make(debtor: "Amélie Brûlé, SARL")
        try await hub.recordActivity()
        try await hub.fixture.account("sam")
        let cookie = try await hub.fixture.sessionCookie(for: "sam")
        let reports = HubReports(store: hub.store)
        try await hub.app().test(.router) { client in
            for name in ReportName.allCases {
                let filter = ReportFilter(from: "2027-01-01", to: "2027-01-31", portfolio: "P")
                let table = try await reports.table(name, filter: filter, now: hub.clock)
                let json = try await client.get(Self.uri(name, "from=2027-01-01&to=2027-01-31"), cookie: cookie)
                #expect(json.status == .ok)
                #expect(json.text == table.json(), "\(name)")

                let csv = try await client.get(Self.uri(name, "from=2027-01-01&to=2027-01-31&format=csv"), cookie: cookie)
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"homeshore-\(name.rawValue)-") == true)
                // A byte-order mark first, so spreadsheets read UTF-8 accents right.
                #expect(Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
                #expect(csv.text == table.spreadsheetCSV(), "\(name)")
                #expect(csv.text.dropFirst().hasPrefix(table.columns.joined(separator: ",")))
            }
            let export = try await client.get("/v1/reports/dossiers?portfolio=P&format=csv", cookie: cookie).text
            #expect(export.contains("\"Amélie Brûlé, SARL\""))
        }
        // Something real came through: alice's calls of January.
        let agents = try await reports.table(.agents, filter: ReportFilter(from: "2027-01-01", to: "2027-01-31"), now: hub.clock)
        #expect(agents.rows.contains { $0.first == "alice" })
    }

    static func error(_ response: TestResponse) -> HomeshoreError? {
        try? WireJSON.decode(ErrorBody.self, from: Data(response.body.readableBytesView)).error
    }
}

/// `silentAfterHours` in hub.json reaches the sync report of the API and the dashboard.
@Test func theSilenceThresholdIsTheHubsSetting() async throws {
    let hub = try await DashboardHub.make()
    try await hub.fixture.account("sam")
    _ = try await hub.push([])  // alice's laptop syncs now
    let fixture = hub.fixture
    fixture.clock = fixture.clock.addingTimeInterval(2 * 3_600)
    let session = try await hub.fixture.sessionCookie(for: "sam")
    for (hours, silent) in [(24.0, ""), (1.0, "yes")] {
        var options = HubServerOptions(tls: nil, now: { fixture.clock })
        options.silentAfter = hours * 3_600
        try await buildApplication(store: hub.store, options: options).test(.router) { client in
            let answer = try await client.get("/v1/reports/sync?format=json", cookie: session)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(answer.text.utf8)) as? [[String: String]], "\(answer.status): \(answer.text)")
            #expect(rows.first { $0["agent"] == "alice" }?["silent"] == silent, "threshold \(hours) h: \(answer.text)")
            let page = try await client.get("/sync", cookie: session)
            #expect(page.text.contains(ReportFormat.age(Int64(hours * 3_600))), "the sync page states the threshold")
        }
    }
}
