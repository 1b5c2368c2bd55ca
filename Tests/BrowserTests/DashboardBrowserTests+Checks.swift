import Foundation
import Testing

extension DashboardBrowserTests {
    /// The checks themselves must fail on a broken page, or a clean run proves nothing.
    @Test func theChecksCatchABrokenPage() async throws {
        try await BrowserHub.run { hub in
            try await Chromium.run(pin: try hub.spkiPin()) { session in
                let browser = DashboardBrowser(session: session, origin: hub.origin)
                try await browser.prepare()
                let html = """
                <p data-figure="calls">NaN</p><p data-figure="rate"> </p><p data-figure="ok">12</p>
                <svg data-chart="empty" width="100" height="50"></svg>
                <img src="/no-such-image.png" alt="">
                <script>console.error("boom"); null.property;</script>
                <meta http-equiv="Content-Security-Policy" content="script-src 'none'">
                <script>document.title = "the policy let this run";</script>
                """
                // Written into a page of the hub, so the image is a same-origin request that answers 404.
                _ = try await browser.open("/healthz")
                let mark = await session.mark()
                let frame = try await session.send("Page.getFrameTree")["frameTree"]?["frame"]?["id"] ?? .null
                try await session.send("Page.setDocumentContent", ["frameId": frame, "html": .string(html)])
                _ = try await session.waitFor("Network.responseReceived", since: mark) {
                    $0["response"]?["url"]?.string?.hasSuffix("/no-such-image.png") == true
                }
                let findings = try await browser.findings()
                let spec = PageSpec(name: "broken", path: "", minFigures: 5, minCharts: 2)
                let problems = PageProblems.find(in: await session.events(since: mark)) + findings.problems(against: spec)
                let expected = [
                    "console.error: \"boom\"", "script exception: TypeError", "HTTP 404 for Image", "figure without a number: calls = \"NaN\"",
                    "figure without a number: rate = \"\"", "chart \"empty\" draws nothing", "has 3 [data-figure] elements",
                    "has 1 svg[data-chart] charts", "broken image", "Content Security Policy",
                ]
                for needle in expected {
                    #expect(problems.contains { $0.contains(needle) }, "No problem mentions \(needle): \(problems)")
                }
            }
        }
    }
}
