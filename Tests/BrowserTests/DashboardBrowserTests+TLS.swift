import Foundation
import Testing

extension DashboardBrowserTests {
    /// Without the hub's key pinned Chromium must refuse the hub: proof that the pinned tour
    /// verifies certificates rather than ignoring them.
    @Test func chromiumRefusesTheHubWithoutItsKeyPinned() async throws {
        try await BrowserHub.run { hub in
            try await Chromium.run(pin: nil) { session in
                let browser = DashboardBrowser(session: session, origin: hub.origin)
                try await browser.prepare()
                let visit = try await browser.open("/healthz")
                let answered = visit.events.contains {
                    $0.method == "Network.responseReceived" && $0.params["response"]?["url"]?.string == visit.url
                }
                #expect(!answered, "Chromium read the hub's answer without trusting its certificate.")
                let text = try await browser.evaluate("document.body ? document.body.innerText : ''").string ?? ""
                let refused = visit.errorText?.contains("ERR_CERT") == true || text.contains("ERR_CERT")
                #expect(refused, "Expected a certificate error; got errorText \(visit.errorText ?? "none") and page text: \(text.prefix(300))")
                try await browser.screenshot("tls-refused", in: Self.screenshots)
                print("browser: without the pin Chromium refuses the hub: \(visit.errorText ?? text.prefix(100).description)")
            }
        }
    }
}
