import Foundation
import GRDB
import HomeshoreCore
import HomeshoreHub

/// The supervisors' reads over a year of a big team's work: the agents report (HTTP and CLI) and the
/// dashboard's team page. The calls are bulk-loaded as the rollups the merge keeps (one
/// `metrics_daily` row per agent and day, the figures the merge would have added), because reports
/// read only those; pushing a million calls through the merge would measure the merge again.
/// Baselines: `GET /healthz` on the same connection, and `homeshore-hub --help` for the CLI.
struct ReportScenario {
    let binaries: Binaries
    let work: String
    let sizes: BenchSizes
    let progress: BenchProgress

    func run() async throws -> [BenchRow] {
        let hub = try HubProcess(binaries: binaries, data: work + "/report-hub", port: try FreePort.pick())
        let seeder = try Seeder(hub: hub, progress: progress)
        _ = try seeder.importPortfolio("P-REPORT", count: 100, seed: 3, work: work)
        // Within the hub's retention of per-agent figures (90 days): older rows are folded into team rows at start.
        let days = sizes.reportCalls >= 1_000_000 ? 90 : 30
        progress.say("bulk-loading \(Show.count(sizes.reportCalls)) calls as rollups of \(sizes.reportAgents) agents over \(days) days")
        let logins = try await bulkLoad(seeder, days: days)
        _ = try await seeder.admin.addAgent(NewAgent(login: "chef", name: "Chef d'équipe", role: .supervisor, team: "nord", portfolios: ["P-REPORT"]))
        let password = "banc-d-essai-2026"
        try await seeder.admin.setPassword(login: "chef", to: password)
        let supervisor = try await seeder.device("chef", name: "bench-supervisor")
        try await hub.start()
        defer { hub.stop() }

        let http = try BenchHTTP(caPEM: hub.caPEM, connections: 1)
        defer { Task { await http.shutdown() } }
        let from = AgencyCalendar.day(of: Date().addingTimeInterval(-Double(days) * 86_400))
        let to = AgencyCalendar.day(of: Date())
        let bearer = [("Authorization", "Bearer \(supervisor.token)")]
        let reportURL = hub.baseURL + "/v1/reports/agents?format=json&from=\(from)&to=\(to)"
        let check = try await http.get(reportURL, headers: bearer)
        guard check.status == 200, String(buffer: check.body).contains(logins.last ?? "") else {
            throw HomeshoreError("bench_report_failed", "The agents report answered \(check.status) without the loaded agents.")
        }
        let cookie = try await logIn(http, hub: hub, password: password)
        let runs = sizes.requestRuns
        progress.say("reports and team page, \(runs) requests each")
        let healthz = try await median(runs) { _ = try await http.get(hub.baseURL + "/healthz") }
        let report = try await median(runs) { _ = try await http.get(reportURL, headers: bearer) }
        let team = try await median(runs) {
            let page = try await http.get(hub.baseURL + "/", headers: [("Cookie", cookie)])
            guard page.status == 200 else { throw HomeshoreError("bench_page_failed", "The team page answered \(page.status).") }
        }
        let cli = try Command(executable: binaries.hub, arguments: ["report", "agents", "--from", from, "--to", to, "--format", "json", "--data", hub.data])
            .median(runs: max(3, runs / 5))
        let help = try Command(executable: binaries.hub, arguments: ["--help"]).median(runs: max(3, runs / 5))
        let calls = Show.count(sizes.reportCalls)
        return [
            BenchRow("agents report over \(calls) calls, `GET /v1/reports/agents`", figure: Show.ms(report), target: "< 100 ms",
                     baseline: "`GET /healthz`: \(Show.ms(healthz))", met: report < 0.1),
            BenchRow("agents report over \(calls) calls, `homeshore-hub report agents` (process)", figure: Show.ms(cli), target: "—",
                     baseline: "`homeshore-hub --help`: \(Show.ms(help))", met: nil),
            BenchRow("dashboard team page, \(sizes.reportAgents) agents", figure: Show.ms(team), target: "< 150 ms",
                     baseline: "`GET /healthz`: \(Show.ms(healthz))", met: team < 0.15),
        ]
    }

    private func median(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
        try await body()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try await body()
            times.append((ContinuousClock.now - start).seconds)
        }
        return Stats.median(times)
    }

    /// The agents, in four teams, and their rollups: a day's figures as the merge adds them.
    private func bulkLoad(_ seeder: Seeder, days: Int) async throws -> [String] {
        let teams = ["nord", "sud", "est", "ouest"]
        var logins: [String] = []
        for number in 0..<sizes.reportAgents {
            let login = String(format: "agent%04d", number)
            _ = try await seeder.admin.store.createAgent(NewAgent(login: login, name: "Agent \(number)", team: teams[number % teams.count],
                                                                  portfolios: ["P-REPORT"]), now: Date())
            logins.append(login)
        }
        let perDay = max(1, sizes.reportCalls / (sizes.reportAgents * days))
        let queue = try DatabaseQueue(path: seeder.hub.dir.database)
        let agents = logins
        try await queue.write { db in
            let insert = try db.makeStatement(sql: """
                INSERT INTO metrics_daily (day, agent, team, portfolio, currency, attempts, contacts, right_party, promises_made,
                    promised_amount, promises_due, promises_kept, collected, talk_seconds, wrap_seconds, disputes)
                VALUES (?, ?, ?, 'P-REPORT', 'EUR', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for day in 0..<days {
                let date = AgencyCalendar.day(of: Date().addingTimeInterval(-Double(day) * 86_400))
                for (index, login) in agents.enumerated() {
                    let contacts = perDay * 3 / 10, rightParty = perDay / 4, promises = max(1, perDay / 20)
                    try insert.execute(arguments: [date, login, teams[index % teams.count], perDay, contacts, rightParty, promises,
                                                   promises * 15_000, promises, promises / 2, promises * 7_000, perDay * 95, perDay * 20, index % 3 == 0 ? 1 : 0])
                }
            }
        }
        return logins
    }

    /// A dashboard session, by the log-in form, as a supervisor's browser gets one.
    private func logIn(_ http: BenchHTTP, hub: HubProcess, password: String) async throws -> String {
        let answer = try await http.post(hub.baseURL + "/login", form: "login=chef&password=\(password)&next=%2F",
                                         headers: [("Origin", hub.baseURL)])
        guard let cookie = answer.headers["Set-Cookie"].first?.split(separator: ";").first.map(String.init) else {
            throw HomeshoreError("bench_login_failed", "The dashboard log-in answered \(answer.status) without a session cookie.")
        }
        return cookie
    }
}
