import Foundation
import Testing

/// Issue 5: the supervisors' dashboard in a real browser. A hub with generated data runs in this
/// process over its own TLS; headless Chromium logs in, loads every page, and the test fails on any
/// script or console error, failed or error-status load, empty or NaN figure, or missing chart.
/// Screenshots of every page land in `.build/screenshots/` for a human to look at.
@Suite(.serialized, .timeLimit(.minutes(20)))
struct DashboardBrowserTests {
    /// `<package root>/.build/screenshots`, found from this file's place in `Tests/BrowserTests/`.
    static let screenshots = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/screenshots")

    static func pages(_ data: BrowserData) -> [PageSpec] {
        let period = "from=\(data.from)&to=\(data.to)"
        return [
            PageSpec(name: "team", path: "/", minFigures: 4, minCharts: 0),
            PageSpec(name: "team-period", path: "/?\(period)", minFigures: 4, minCharts: 0),
            PageSpec(name: "agent", path: "/agents/\(data.agent)", minFigures: 4, minCharts: 1),
            PageSpec(name: "agent-period", path: "/agents/\(data.agent)?\(period)", minFigures: 4, minCharts: 1),
            PageSpec(name: "promises", path: "/promises", minFigures: 2, minCharts: 0),
            PageSpec(name: "portfolios", path: "/portfolios", minFigures: 3, minCharts: 1),
            PageSpec(name: "portfolios-period", path: "/portfolios?\(period)", minFigures: 3, minCharts: 1),
            PageSpec(name: "sync", path: "/sync", minFigures: 2, minCharts: 0),
            PageSpec(name: "compliance", path: "/compliance", minFigures: 0, minCharts: 0),
            PageSpec(name: "dossiers", path: "/dossiers?portfolio=\(data.portfolio)", minFigures: 2, minCharts: 0),
            PageSpec(name: "dossier", path: "/dossiers/\(data.portfolio)/\(data.reference)", minFigures: 2, minCharts: 0),
        ]
    }

    @Test func everyDashboardPageRendersCleanlyInChromium() async throws {
        // Pages overwrite their own; this one exists only while logging in fails.
        try? FileManager.default.removeItem(at: Self.screenshots.appendingPathComponent("login-failed.png"))
        try await BrowserHub.run { hub in
            let data = try await BrowserData.seed(hub)
            try await Chromium.run(pin: try hub.spkiPin()) { session in
                let browser = DashboardBrowser(session: session, origin: hub.origin)
                try await browser.prepare()
                try await Self.logIn(browser)
                var links: [String: String] = [:]
                for page in Self.pages(data) {
                    for link in try await Self.check(page, in: browser) where links[link] == nil { links[link] = page.name }
                }
                try await Self.checkLinks(links, visited: Set(Self.pages(data).map(\.path)), in: browser, hub: hub)
                try await Self.logOut(browser)
            }
        }
    }

    static func documentStatus(_ visit: Visit) -> Int? {
        visit.events.last {
            $0.method == "Network.responseReceived" && $0.params["type"]?.string == "Document"
                && $0.params["response"]?["url"]?.string == visit.url
        }?.params["response"]?["status"]?.int
    }

    /// One issue per problem, so a single run lists everything to fix.
    static func report(_ problems: [String], on page: String) {
        for problem in problems { Issue.record("\(page): \(problem)") }
    }
}
