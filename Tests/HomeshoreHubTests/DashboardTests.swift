import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 5, the dashboard: log-ins (bcrypt, hardened cookie, rate limit, no open redirect), every
/// page refused without a supervisor's session, pages escaped and self-contained, and their figures
/// the very strings of the reports for the same period.
@Suite struct DashboardTests {
    static let pages = ["/", "/agents/alice", "/promises", "/portfolios", "/sync", "/compliance", "/dossiers", "/dossiers?portfolio=P",
                        "/dossiers/P/A-1"]

    @Test func everyPageIs401WithoutASession403ForAnAgentAnd200ForSupervisorsAndAdmins() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.fixture.account("ada", role: .admin)
        try await hub.fixture.account("alice", role: .agent)
        let supervisor = try await hub.fixture.sessionCookie(for: "sam")
        let admin = try await hub.fixture.sessionCookie(for: "ada")
        let agent = try await hub.fixture.sessionCookie(for: "alice")
        try await hub.app().test(.router) { client in
            for path in Self.pages {
                let anonymous = try await client.get(path)
                #expect(anonymous.status == .unauthorized, "\(path) without a session")
                #expect(anonymous.text.contains("<form class=\"login\" method=\"post\" action=\"/login\">"), "\(path) shows the login form")
                #expect(anonymous.text.contains("name=\"next\" value=\"\(HTMLText.escape(path))\""), "\(path) comes back after logging in")
                Self.expectHardened(anonymous, path)

                let forged = try await client.get(path, cookie: "hs_session=\(Secrets.randomToken())")
                #expect(forged.status == .unauthorized, "\(path) with an unknown session")
                // A device token is for the API only: the pages want a browser session.
                let deviceOnly = try await client.get(path, bearer: hub.token)
                #expect(deviceOnly.status == .unauthorized, "\(path) with a device token")

                let refused = try await client.get(path, cookie: agent)
                #expect(refused.status == .forbidden, "\(path) with an agent's session")
                #expect(refused.text.contains("supervisors and admins"))
                #expect(!refused.text.contains("data-figure"), "\(path) shows no figures to an agent")
                Self.expectHardened(refused, path)

                for cookie in [supervisor, admin] {
                    let page = try await client.get(path, cookie: cookie)
                    #expect(page.status == .ok, "\(path): \(page.text.prefix(300))")
                    #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(!page.text.contains("action=\"/login\""), "\(path) does not ask a logged-in supervisor to log in")
                    #expect(page.text.contains("action=\"/logout\""))
                    Self.expectHardened(page, path)
                    Self.expectSelfContained(page.text, path)
                }
            }
        }
    }

    @Test func aGoodLogInSetsAHardenedSessionCookieAndGoesToNext() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.app().test(.router) { client in
            let answer = try await client.logIn("sam", password: HubFixture.password, next: "/promises?from=2027-01-01")
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/promises?from=2027-01-01")
            let setCookie = try #require(answer.headers[values: .setCookie].first)
            let attributes = Set(setCookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes == ["Path=/", "Max-Age=28800", "Secure", "HttpOnly", "SameSite=Strict"])
            let cookie = try #require(answer.sessionCookie)
            let token = String(cookie.dropFirst("hs_session=".count))
            #expect(token.count == 43, "256 random bits in base64url")
            // Only the token's hash is kept: the token itself opens nothing in the store.
            #expect(try await hub.store.session(tokenHash: token, now: hub.clock) == nil)
            #expect(try await hub.store.session(tokenHash: Secrets.hash(token), now: hub.clock)?.login == "sam")

            #expect(try await client.get("/promises", cookie: cookie).status == .ok)
            // Log-ins are case-blind like the CLI's lower-case logins.
            #expect(try await client.logIn("SAM", password: HubFixture.password).status == .seeOther)
            // The session ends after eight hours.
            hub.clock = hub.clock.addingTimeInterval(8 * 3_600 + 1)
            #expect(try await client.get("/promises", cookie: cookie).status == .unauthorized)
        }
    }

    @Test func wrongPasswordsUnknownLoginsAndAgentAccountsGetNoSession() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.fixture.account("alice", role: .agent)
        try await hub.app().test(.router) { client in
            for (login, password) in [("sam", "wrong password!"), ("sam", ""), ("nobody", HubFixture.password)] {
                let answer = try await client.logIn(login, password: password, next: "/sync")
                #expect(answer.status == .unauthorized, "\(login)")
                #expect(answer.headers[.setCookie] == nil)
                #expect(answer.text.contains("Wrong login or password."))
                #expect(answer.text.contains("name=\"next\" value=\"/sync\""), "the form keeps where to go")
                Self.expectHardened(answer, "/login")
            }
            // The right password of an agent account opens nothing.
            let agent = try await client.logIn("alice", password: HubFixture.password)
            #expect(agent.status == .forbidden)
            #expect(agent.headers[.setCookie] == nil)
        }
    }

    @Test func nextCannotLeadOffTheHub() async throws {
        for hostile in ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", "/a\r\nSet-Cookie: x=1",
                        "evil.example", " /promises"] {
            #expect(LoginController.safeNext(hostile) == "/", "\(hostile)")
        }
        #expect(LoginController.safeNext("/agents/alice?from=2027-01-01&to=2027-01-31") == "/agents/alice?from=2027-01-01&to=2027-01-31")
        #expect(LoginController.safeNext(nil) == "/")

        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.app().test(.router) { client in
            let answer = try await client.logIn("sam", password: HubFixture.password, next: "//evil.example/steal")
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/")
            // The login form itself never carries a hostile next either.
            let form = try await client.get("/login?next=//evil.example")
            #expect(form.text.contains("name=\"next\" value=\"/\""))
            // A form posted from another site is refused.
            let crossSite = try await client.logIn("sam", password: HubFixture.password, headers: [.origin: "https://evil.example"])
            #expect(crossSite.status == .forbidden)
            #expect(crossSite.headers[.setCookie] == nil)
            // The same host over another scheme is another origin; the hub's own is https.
            for origin in ["http://localhost", "ftp://localhost", "https://evil.localhost"] {
                let other = try await client.logIn("sam", password: HubFixture.password, headers: [.origin: origin])
                #expect(other.status == .forbidden, "\(origin)")
            }
            let same = try await client.logIn("sam", password: HubFixture.password, headers: [.origin: "https://localhost"])
            #expect(same.status == .seeOther)
        }
    }

    @Test func repeatedFailuresAreRateLimitedFor15Minutes() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.app().test(.router) { client in
            for attempt in 1...LoginController.maxFailures {
                #expect(try await client.logIn("sam", password: "guess number \(attempt)").status == .unauthorized)
            }
            // Blocked now, even with the right password, and told so plainly.
            let blocked = try await client.logIn("sam", password: HubFixture.password)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers[.retryAfter] == "900")
            #expect(blocked.headers[.setCookie] == nil)
            #expect(blocked.text.contains("Too many failed log-in attempts"))
            // Another login from the same address is blocked too (per address), …
            try await hub.fixture.account("ada", role: .admin)
            #expect(try await client.logIn("ada", password: HubFixture.password).status == .tooManyRequests)
            // … and the window slides: 15 minutes later the right password works again.
            hub.clock = hub.clock.addingTimeInterval(15 * 60 + 1)
            #expect(try await client.logIn("sam", password: HubFixture.password).status == .seeOther)
        }
    }

    @Test func guessesInFlightCountUntilTheyEnd() async {
        let throttle = LoginThrottle(limit: 3, window: 900)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let keys = ["ip:10.0.0.9", "login:sam"]
        // Three parallel guesses are admitted; a fourth waits for one of them to end.
        for _ in 1...3 { #expect(await throttle.admit(keys, now: start)) }
        #expect(!(await throttle.admit(keys, now: start)))
        // The same address trying another login is held back too, and another address for this login.
        #expect(!(await throttle.admit(["ip:10.0.0.9", "login:ada"], now: start)))
        #expect(!(await throttle.admit(["ip:10.0.0.10", "login:sam"], now: start)))
        await throttle.finish(keys, failed: false, now: start)
        #expect(await throttle.admit(keys, now: start))
        for _ in 1...3 { await throttle.finish(keys, failed: true, now: start) }
        #expect(!(await throttle.admit(keys, now: start.addingTimeInterval(899))))
        #expect(await throttle.admit(["ip:10.0.0.11", "login:ada"], now: start))
        #expect(await throttle.admit(keys, now: start.addingTimeInterval(901)))
    }

    @Test func logOutEndsTheSession() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.app().test(.router) { client in
            let cookie = try #require(try await client.logIn("sam", password: HubFixture.password).sessionCookie)
            #expect(try await client.get("/", cookie: cookie).status == .ok)
            let out = try await client.executeRequest(uri: "/logout", method: .post, headers: [.cookie: cookie], body: nil)
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/login")
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.get("/", cookie: cookie).status == .unauthorized)
            // A logged-out browser reaches the form at /login.
            #expect(try await client.get("/login").status == .ok)
        }
    }

    @Test func aNewPasswordEndsOpenSessions() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        let cookie = try await hub.fixture.sessionCookie(for: "sam")
        try await hub.app().test(.router) { client in
            #expect(try await client.get("/", cookie: cookie).status == .ok)
            try await hub.fixture.account("sam", password: "another long password")
            #expect(try await client.get("/", cookie: cookie).status == .unauthorized)
        }
    }

    @Test func badPeriodsAreNamedAndUnknownAgentsAre404() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        let cookie = try await hub.fixture.sessionCookie(for: "sam")
        try await hub.app().test(.router) { client in
            let bad = try await client.get("/?from=2027-02-30", cookie: cookie)
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("from parameter"))
            #expect(bad.text.contains("action=\"/logout\""), "the error page keeps the navigation")
            let reversed = try await client.get("/promises?from=2027-02-01&to=2027-01-01", cookie: cookie)
            #expect(reversed.status == .badRequest)
            #expect(try await client.get("/agents/nobody", cookie: cookie).status == .notFound)
            #expect(try await client.get("/dossiers/P/NOPE", cookie: cookie).status == .notFound)
        }
    }

    @Test func everythingShownIsEscaped() async throws {
        let hub = try await DashboardHub.make(debtor: "<script>alert('x')</script> & Fils")
        try await hub.fixture.account("sam")
        let cookie = try await hub.fixture.sessionCookie(for: "sam")
        var ops = OpFactory()
        _ = try await hub.push([ops.make("note", dossier: hub.ids["A-1"]!, payload: OpPayload(text: "<img src=x onerror=alert(1)>"), at: hub.clock)])
        try await hub.app().test(.router) { client in
            for path in ["/dossiers/P/A-1", "/dossiers?portfolio=P&q=script", "/promises"] {
                let page = try await client.get(path, cookie: cookie)
                #expect(page.status == .ok)
                #expect(!page.text.contains("<script"), "\(path)")
                #expect(!page.text.contains("<img"), "\(path)")
            }
            let dossier = try await client.get("/dossiers/P/A-1", cookie: cookie).text
            #expect(dossier.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Fils"))
            #expect(dossier.contains("&lt;img src=x onerror=alert(1)&gt;"))
        }
    }

    @Test func theDossierPageIsTheWholePrintableTimeline() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.recordActivity()
        let cookie = try await hub.fixture.sessionCookie(for: "sam")
        try await hub.app().test(.router) { client in
            let page = try await client.get("/dossiers/P/A-1", cookie: cookie)
            #expect(page.status == .ok)
            let html = page.text
            let change = try await hub.store.dossier(DossierKey(portfolio: "P", reference: "A-1"))
            #expect(change.events.count >= 6)
            // One row per event, each with its kind, agent and agency time.
            #expect(html.components(separatedBy: "<tr").count - 2 >= change.events.count)
            for event in change.events {
                #expect(html.contains(HTMLText.escape(DossierTimelineHTML.kind(event.kind))), "\(event.kind)")
                #expect(html.contains(HTMLText.escape(DossierTimelineHTML.when(event))), "\(event.kind) time")
            }
            for text in ["Call", "Promise kept", "Payment", "Note", "Assignment", "outcome right-party", "Rappeler après 18h",
                         "promised 200.00 EUR by 2027-01-15", "2:30", "Débiteur coopératif", "alice"] {
                #expect(html.contains(text), "\(text)")
            }
            let disputed = try await client.get("/dossiers/P/A-3", cookie: cookie).text
            #expect(disputed.contains("Dispute opened") && disputed.contains("reason not-received · Colis jamais reçu"))
            #expect(html.contains("@media print"))
            // The search lists it and links to it and to the creditor export.
            let list = try await client.get("/dossiers?q=a-1", cookie: cookie).text
            #expect(list.contains("href=\"/dossiers/P/A-1\""))
            #expect(list.contains("href=\"/v1/reports/dossiers?portfolio=P&amp;format=csv\""))
        }
    }

    @Test func theAgentPageDrawsThreeChartsOverThePeriod() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.recordActivity()
        let cookie = try await hub.fixture.sessionCookie(for: "sam")
        try await hub.app().test(.router) { client in
            let html = try await client.get("/agents/alice?from=2027-01-01&to=2027-01-31", cookie: cookie).text
            for chart in ["calls-per-day", "ptp-rate", "kept-rate"] {
                #expect(html.contains("data-chart=\"\(chart)\""), "\(chart)")
            }
            #expect(html.components(separatedBy: "<svg").count - 1 == 3)
            #expect(html.contains("<rect"), "the calls of the period are drawn")
            // The last 30 days by default.
            let recent = try await client.get("/agents/alice", cookie: cookie).text
            let today = AgencyCalendar.day(of: hub.clock)
            #expect(recent.contains("value=\"\(CalendarDate.adding(days: -29, to: today)!)\""))
            #expect(recent.contains("value=\"\(today)\""))
        }
    }

    @Test func everyPageShowsTheFiguresOfItsReportForTheSamePeriod() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        try await hub.recordActivity()
        let cookie = try await hub.fixture.sessionCookie(for: "sam")
        let reports = HubReports(store: hub.store)
        let filter = ReportFilter(from: "2027-01-01", to: "2027-01-31")
        let period = "from=2027-01-01&to=2027-01-31"
        try await hub.app().test(.router) { client in
            let checks: [(path: String, report: ReportName, columns: [String]?)] = [
                ("/?\(period)", .agents, TeamTodayPage.columns),
                ("/agents/alice?\(period)", .agents, HubReports.agents([]).columns.filter { !["agent", "name", "team"].contains($0) }),
                ("/promises?\(period)", .promises, nil),
                ("/portfolios?\(period)", .portfolios, nil),
                ("/portfolios?\(period)", .disputes, nil),
                ("/sync", .sync, nil),
                ("/compliance?\(period)", .compliance, nil),
            ]
            for check in checks {
                let table = try await reports.table(check.report, filter: filter, now: hub.clock)
                #expect(!table.rows.isEmpty, "\(check.report) has rows to compare")
                let html = try await client.get(check.path, cookie: cookie).text
                let shown = Self.shownCells(table, columns: check.columns, report: check.report.rawValue)
                for (column, text) in shown {
                    #expect(html.contains(text), "\(check.path): \(check.report.rawValue).\(column) should read \(text)")
                }
            }
            // The dossier list shows the creditor export's figures.
            let dossiers = try await reports.table(.dossiers, filter: ReportFilter(portfolio: "P"), now: hub.clock)
            let list = try await client.get("/dossiers?portfolio=P", cookie: cookie).text
            for (column, text) in Self.shownCells(dossiers, columns: DossierSearchPage.columns, report: "dossiers") {
                #expect(list.contains(text), "dossiers.\(column) should read \(text)")
            }
        }
        // Something real was compared: the agents report carries calls, promises and money.
        let agents = try await reports.table(.agents, filter: filter, now: hub.clock)
        let alice = try #require(agents.rows.first { $0.first == "alice" })
        let calls = try #require(agents.columns.firstIndex(of: "calls"))
        #expect(alice[calls] == "4")
    }

    @Test func theCompliancePageShowsTheNewestPageAndPagesThroughTheRest() async throws {
        let hub = try await DashboardHub.make()
        try await hub.fixture.account("sam")
        let cookie = try await hub.fixture.sessionCookie(for: "sam")
        _ = try await hub.store.setPolicy(portfolio: "P", PolicyChange(window: try CallingWindow(parsing: "mon-fri 09:00-18:00")), now: hub.clock)
        // A page and five more calls on Sunday 2027-01-03, a minute apart from 10:00 in Paris: every one outside the window.
        let size = Paging.defaultSize, total = Paging.defaultSize + 5
        #expect(size == 100)
        let start = try #require(Timestamp.parse("2027-01-03T09:00:00Z"))
        let minute: @Sendable (Int) -> String = { index in AgencyTime.display(Timestamp.string(from: start.addingTimeInterval(Double(index) * 60))) }
        var ops = OpFactory()
        let calls = (0..<total).map { index in
            let at = start.addingTimeInterval(Double(index) * 60)
            return ops.make("call", dossier: hub.ids["A-\(index % 3 + 1)"]!, payload: OpPayload(outcome: "no-answer", at: Timestamp.string(from: at)), at: at)
        }
        // The calls are alice's, of team nord: the team filter keeps them.
        _ = try await hub.store.updateAgent(login: "alice", AgentChange(team: "nord"))
        #expect(try await hub.push(calls).allSatisfy { $0.status == .applied })
        let scope = "from=2027-01-01&to=2027-01-31&team=nord&portfolio=P"
        let escapedScope = scope.replacingOccurrences(of: "&", with: "&amp;")
        let rows: @Sendable (String) -> Int = { html in html.components(separatedBy: ">no-answer<").count - 1 }
        try await hub.app().test(.router) { client in
            // Page 1: the newest calls, the figures of the whole period, a note and the way on.
            let first = try await client.get("/compliance?\(scope)", cookie: cookie)
            #expect(first.status == .ok)
            #expect(rows(first.text) == size)
            #expect(first.text.contains("data-figure=\"compliance.calls\">\(total)<"))
            #expect(first.text.contains("data-figure=\"compliance.agents\">1<"))
            #expect(first.text.contains("Showing \(size) of \(total) calls (1–\(size), page 1 of 2), newest first. Download the CSV for all of them."))
            #expect(first.text.contains(">\(minute(total - 1))<"), "the latest call is on page 1")
            #expect(!first.text.contains(">\(minute(4))<"), "the five oldest are not")
            let latest = try #require(first.text.range(of: ">\(minute(total - 1))<"))
            let earlier = try #require(first.text.range(of: ">\(minute(total - 2))<"))
            #expect(latest.lowerBound < earlier.lowerBound, "newest first")
            // The pager keeps the period, team and portfolio; it sits above and below the table.
            #expect(first.text.components(separatedBy: "href=\"/compliance?\(escapedScope)&amp;page=2\">Older ›</a>").count - 1 == 2)
            #expect(!first.text.contains("Newer"))
            #expect(first.text.contains("href=\"/v1/reports/compliance?\(escapedScope)&amp;format=csv\">Download all \(total) as CSV</a>"))
            Self.expectSelfContained(first.text, "/compliance page 1")

            // Page 2: the five oldest, and the way back to page 1 (whose address has no page).
            let second = try await client.get("/compliance?\(scope)&page=2", cookie: cookie)
            #expect(second.status == .ok)
            #expect(rows(second.text) == 5)
            #expect(second.text.contains("Showing 5 of \(total) calls (\(size + 1)–\(total), page 2 of 2)"))
            #expect(second.text.contains(">\(minute(0))<") && !second.text.contains(">\(minute(total - 1))<"))
            #expect(second.text.contains("href=\"/compliance?\(escapedScope)\">‹ Newer</a>"))
            #expect(!second.text.contains("Older"))
            #expect(second.text.contains("data-figure=\"compliance.calls\">\(total)<"))

            // Past the end: an empty page that says so and leads back, not an error.
            let beyond = try await client.get("/compliance?\(scope)&page=9", cookie: cookie)
            #expect(beyond.status == .ok)
            #expect(rows(beyond.text) == 0)
            #expect(beyond.text.contains("Page 9 is past the end: the \(total) calls of this period fill 2 page(s)."))
            #expect(beyond.text.contains("href=\"/compliance?\(escapedScope)&amp;page=2\">Last page (2)</a>"))
            #expect(beyond.text.contains("href=\"/compliance?\(escapedScope)\">First page</a>"))

            // Anything but a page number is a named 400.
            for bad in ["0", "-1", "two", "1.5", "99999999", "%EF%BC%92"] {
                let answer = try await client.get("/compliance?\(scope)&page=\(bad)", cookie: cookie)
                #expect(answer.status == .badRequest, "page=\(bad)")
                #expect(answer.text.contains("page parameter"), "page=\(bad)")
            }

            // A period of fewer calls than a page: no pager at all.
            let short = try await client.get("/compliance?from=2027-01-04&to=2027-01-31", cookie: cookie)
            #expect(short.status == .ok && !short.text.contains("class=\"pager\"") && !short.text.contains("Showing"))

            // The CSV of the same period keeps every call.
            let csv = try await client.get("/v1/reports/compliance?\(scope)&format=csv", cookie: cookie)
            #expect(csv.status == .ok)
            #expect(csv.text.components(separatedBy: "no-answer").count - 1 == total)
        }
    }

    @Test func pagingSplitsAnyCountIntoFullPagesAndALastOne() throws {
        for (total, size, pages) in [(0, 200, 1), (1, 200, 1), (200, 200, 1), (201, 200, 2), (400, 200, 2), (401, 200, 3), (7, 3, 3)] {
            let paging = Paging(page: 1, size: size, total: total)
            #expect(paging.pages == pages, "\(total) / \(size)")
            var covered: [Int] = []
            for page in 1...pages { covered += Array(Paging(page: page, size: size, total: total).range) }
            #expect(covered == Array(0..<total), "every row on exactly one page: \(total) / \(size)")
            #expect(Paging(page: pages + 1, size: size, total: total).isPastEnd)
            #expect(Paging(page: pages + 1, size: size, total: total).range.isEmpty)
        }
        #expect(try Paging(FormFields("page="), total: 500).page == 1, "a blank page is the first")
        #expect(try Paging(FormFields("page=3"), size: 200, total: 500).range == 400..<500)
    }

    // MARK: - Helpers

    /// How each cell of a report reads in a page: a figure with its `data-figure` mark, the rest as text.
    static func shownCells(_ table: ListOutput, columns: [String]?, report: String) -> [(String, String)] {
        table.rows.flatMap { row in
            zip(table.columns, row).compactMap { column, text -> (String, String)? in
                guard columns?.contains(column) ?? true, !text.isEmpty else { return nil }
                if ReportTableHTML.isFigure(column) {
                    return (column, "data-figure=\"\(report).\(column)\">\(HTMLText.escape(text))<")
                }
                let shown = ReportTableHTML.timeColumns.contains(column) ? AgencyTime.display(text) : text
                return (column, ">\(HTMLText.escape(shown))<")
            }
        }
    }

    static func expectHardened(_ response: TestResponse, _ path: String) {
        let csp = response.headers[.contentSecurityPolicy] ?? ""
        #expect(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && csp.contains("form-action 'self'"), "\(path)")
        #expect(!csp.contains("http"), "\(path): no other origin is allowed")
        #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
        #expect(response.headers[.cacheControl] == "no-store", "\(path)")
        #expect(response.headers[.strictTransportSecurity] == "max-age=31536000", "\(path)")
    }

    /// No script, nothing fetched from elsewhere, no leftover template tag, no NaN.
    static func expectSelfContained(_ html: String, _ path: String) {
        #expect(!html.contains("<script"), "\(path)")
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "\(path)")
        #expect(!html.contains("{{"), "\(path)")
        #expect(!html.contains("NaN") && !html.contains("Infinity"), "\(path)")
        for match in html.components(separatedBy: "data-figure=\"").dropFirst() {
            let afterTag = match.split(separator: ">", maxSplits: 1).dropFirst().first ?? ""
            #expect(!afterTag.hasPrefix("<"), "\(path): an empty figure near \(match.prefix(60))")
        }
    }
}

/// `homeshore-hub agent add --role supervisor` and `agent password`, through `HubAdmin` as the CLI
/// calls it: bcrypt hashes the dashboard accepts, rules a user can act on, agents refused.
@Suite struct DashboardPasswordTests {
    func admin() async throws -> (HubAdmin, HubDataDir) {
        let dir = HubDataDir(FileManager.default.temporaryDirectory.appendingPathComponent("passwords-\(UUID().uuidString)").path)
        _ = try HubInitializer.initialise(dir, publicURL: nil, hostnames: [])
        return (try HubAdmin(dir: dir), dir)
    }

    @Test func aNewSupervisorGetsAFirstPasswordThatLogsIn() async throws {
        let (admin, dir) = try await admin()
        defer { try? FileManager.default.removeItem(atPath: dir.path) }
        let sam = NewAgent(login: "sam", name: "Sam Supervisor", role: .supervisor)
        _ = try await admin.addAgent(sam)
        let password = try #require(try await admin.firstPassword(for: sam, hasher: HubFixture.cheap))
        #expect(password.count >= PasswordHasher.minLength)
        let hash = try #require(try await admin.store.credentials(login: "sam")?.hash)
        #expect(hash.hasPrefix("$2"), "a bcrypt hash, never the password")
        #expect(!hash.contains(password))
        #expect(await PasswordHasher.verify(password, hash: hash))
        #expect(!(await PasswordHasher.verify(password + "x", hash: hash)))

        // An agent gets no password: they never log in to the dashboard.
        let alice = NewAgent(login: "alice", name: "Alice Agent")
        _ = try await admin.addAgent(alice)
        #expect(try await admin.firstPassword(for: alice, hasher: HubFixture.cheap) == nil)
        #expect(try await admin.store.credentials(login: "alice")?.hash == nil)
        // Production hashes cost 12.
        #expect(PasswordHasher.production.cost == 12)
    }

    @Test func settingAPasswordChecksItAndRefusesAgents() async throws {
        let (admin, dir) = try await admin()
        defer { try? FileManager.default.removeItem(atPath: dir.path) }
        _ = try await admin.addAgent(NewAgent(login: "ada", name: "Ada Admin", role: .admin))
        _ = try await admin.addAgent(NewAgent(login: "alice", name: "Alice Agent"))
        let cases: [(login: String, password: String, code: String)] = [
            ("ada", "short", "weak_password"),
            ("ada", String(repeating: "é", count: 40), "long_password"),
            ("ada", "tab\tinside password", "invalid_password"),
            ("alice", "a perfectly long password", "agent_role"),
            ("nobody", "a perfectly long password", "unknown_agent"),
        ]
        for item in cases {
            let error = await #expect(throws: HomeshoreError.self) {
                try await admin.setPassword(login: item.login, to: item.password, hasher: HubFixture.cheap)
            }
            #expect(error?.code == item.code, "\(item.login) / \(item.password)")
        }
        let agentError = await #expect(throws: HomeshoreError.self) {
            try await admin.setPassword(login: "alice", to: "a perfectly long password", hasher: HubFixture.cheap)
        }
        #expect(agentError?.message.contains("agent set alice --role supervisor") == true)
        #expect(try await admin.store.credentials(login: "ada")?.hash == nil, "nothing was set by the refusals")

        try await admin.setPassword(login: "ada", to: "twelve chars", hasher: HubFixture.cheap)
        #expect(await PasswordHasher.verify("twelve chars", hash: try await admin.store.credentials(login: "ada")?.hash))
        let generated = try await admin.generatePassword(login: "ada", hasher: HubFixture.cheap)
        #expect(generated.count == 20)
        #expect(!(await PasswordHasher.verify("twelve chars", hash: try await admin.store.credentials(login: "ada")?.hash)))
        #expect(await PasswordHasher.verify(generated, hash: try await admin.store.credentials(login: "ada")?.hash))
        // No hash (unknown login) never verifies, whatever the password.
        #expect(!(await PasswordHasher.verify("", hash: nil)))
    }
}
