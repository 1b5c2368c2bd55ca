import Foundation
import Testing

/// The steps of the page tour, each reporting what it saw go wrong.
extension DashboardBrowserTests {
    /// Opens a page while logged out (401 and the login form), logs in, and lands on that page.
    static func logIn(_ browser: DashboardBrowser) async throws {
        let login = try await browser.open("/promises")
        #expect(login.errorText == nil, "The pinned hub did not load: \(login.errorText ?? "")")
        #expect(documentStatus(login) == 401, "A logged-out page answers 401 with the login form.")
        let next = try await browser.evaluate(#"(document.querySelector('form[action="/login"] [name=next]') || {}).value"#)
        #expect(next.string == "/promises", "The login form's hidden next field is \(next).")
        try await browser.screenshot("login", in: screenshots)
        report(PageProblems.find(in: login.events, allowing401: login.url), on: "login form")

        let landed = try await browser.logIn(BrowserData.supervisor, password: BrowserData.password)
        report(PageProblems.find(in: landed.events), on: "logging in")
        guard landed.url == browser.origin + "/promises", let cookie = try await browser.cookie("hs_session") else {
            // Every later page would only show the form again: stop here, saying why.
            try await browser.screenshot("login-failed", in: screenshots)
            let post = landed.events.first {
                $0.method == "Network.requestWillBeSent" && $0.params["request"]?["method"]?.string == "POST"
            }
            let origin = post?.params["request"]?["headers"]?["Origin"]?.string ?? "none"
            let text = try await browser.evaluate("document.body ? document.body.innerText : ''").string ?? ""
            throw BrowserTestError(description: "Logging in as \(BrowserData.supervisor) failed: the browser is at \(landed.url) "
                + "without an hs_session cookie (its POST /login carried Origin: \(origin)); the page says: "
                + text.replacingOccurrences(of: "\n", with: " ").prefix(300))
        }
        #expect(cookie["secure"]?.bool == true)
        #expect(cookie["httpOnly"]?.bool == true)
        #expect(cookie["sameSite"]?.string == "Strict")
    }

    /// Loads one page, runs the DOM check, saves its screenshot, and reports every problem seen.
    /// Returns the page's links to the hub.
    static func check(_ page: PageSpec, in browser: DashboardBrowser) async throws -> [String] {
        let mark = await browser.session.mark()
        let visit = try await browser.open(page.path)
        #expect(visit.errorText == nil, "\(page.name) (\(page.path)) did not load: \(visit.errorText ?? "")")
        #expect(documentStatus(visit) == 200, "\(page.name) (\(page.path)) answered \(documentStatus(visit).map(String.init) ?? "nothing").")
        let findings = try await browser.findings()
        try await browser.screenshot(page.name, in: screenshots)
        // Swept after the checks, so errors from scripts that run late are caught as well.
        let problems = PageProblems.find(in: await browser.session.events(since: mark)) + findings.problems(against: page)
        report(problems, on: "\(page.name) (\(page.path))")
        print("browser: \(page.name) \(page.path): \(findings.summary)")
        return try await browser.links()
    }

    /// Follows the links the pages show (CSV downloads, agents, dossiers…) but not visited above,
    /// a few of each kind: a dead link fails as surely as a broken page. They are fetched outside
    /// the browser with its session cookie: the pages' CSP rightly forbids scripts to fetch.
    static func checkLinks(_ links: [String: String], visited: Set<String>, in browser: DashboardBrowser,
                           hub: BrowserHub) async throws {
        var perKind: [String: Int] = [:]
        let sample = links.keys.sorted().filter { link in
            guard !visited.contains(link), link != "/login" else { return false }
            let url = URLComponents(string: link)
            let kind = (url?.path.split(separator: "/").prefix(2).first.map(String.init) ?? "")
                + "?" + (url?.queryItems ?? []).map(\.name).sorted().joined(separator: "&")
            perKind[kind, default: 0] += 1
            return perKind[kind]! <= 3
        }
        let session = try #require(try await browser.cookie("hs_session")?["value"]?.string, "No session to follow links with.")
        let statuses = try await hub.statuses(of: sample, cookie: "hs_session=\(session)")
        for link in sample where !(200..<400).contains(statuses[link] ?? 0) {
            Issue.record("link \(link) on page \(links[link] ?? "?") answers \(statuses[link].map(String.init) ?? "nothing")")
        }
        print("browser: followed \(sample.count) of \(links.count) links")
    }

    /// Logs out with the page's button: back at the login page, the session cookie gone, pages 401 again.
    static func logOut(_ browser: DashboardBrowser) async throws {
        let out = try await browser.submit("form.logout")
        report(PageProblems.find(in: out.events), on: "logging out")
        #expect(URLComponents(string: out.url)?.path == "/login", "After logging out the browser is at \(out.url).")
        #expect(try await browser.cookie("hs_session") == nil, "The hs_session cookie outlives logging out.")
        let again = try await browser.open("/")
        #expect(documentStatus(again) == 401, "After logging out / answers \(documentStatus(again).map(String.init) ?? "nothing").")
        report(PageProblems.find(in: again.events, allowing401: again.url), on: "after logging out")
    }
}
