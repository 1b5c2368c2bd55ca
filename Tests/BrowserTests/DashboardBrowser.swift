import Foundation

/// What one step in the browser left behind: the DevTools events it caused, and a navigation error.
struct Visit: Sendable {
    let url: String
    /// Set when Chromium could not load the page at all (e.g. `net::ERR_CERT_AUTHORITY_INVALID`).
    let errorText: String?
    let events: [DevToolsEvent]
}

/// The steps of the browser test on one Chromium page: open, log in, inspect, photograph.
struct DashboardBrowser: Sendable {
    let session: ChromiumSession
    let origin: String

    /// Turns on the event streams the test sweeps, and a laptop-sized window.
    func prepare() async throws {
        for domain in ["Runtime", "Log", "Page", "Network", "Inspector"] {
            try await session.send("\(domain).enable")
        }
        try await session.send("Emulation.setDeviceMetricsOverride",
                               ["width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": false])
    }

    /// Loads `path` and waits for its load event (not when Chromium refused the page).
    func open(_ path: String) async throws -> Visit {
        try await open(url: origin + path)
    }

    func open(url: String) async throws -> Visit {
        let mark = await session.mark()
        let result = try await session.send("Page.navigate", ["url": .string(url)])
        let errorText = result["errorText"]?.string
        if errorText == nil {
            _ = try await session.waitFor("Page.loadEventFired", since: mark)
        }
        return Visit(url: url, errorText: errorText, events: await session.events(since: mark))
    }

    /// Fills the fields of the form `selector` finds, submits it as a click would, and waits for the
    /// page it leads to. Throws when the form or one of `required` is missing.
    func submit(_ selector: String, fields: [String: String] = [:], required: [String] = []) async throws -> Visit {
        let mark = await session.mark()
        let script = """
        (() => {
          const form = document.querySelector(\(try JSONValue.string(selector).text()));
          if (!form) return 'no form matches ' + \(try JSONValue.string(selector).text());
          for (const name of \(try JSONValue.array(required.map { .string($0) }).text())) {
            if (!form.elements[name]) return `the form has no field "${name}"`;
          }
          const fields = \(try JSONValue.object(fields.mapValues { .string($0) }).text());
          for (const [name, value] of Object.entries(fields)) form.elements[name].value = value;
          form.requestSubmit();
          return 'submitted';
        })()
        """
        let answer = try await evaluate(script)
        guard answer.string == "submitted" else {
            throw BrowserTestError(description: "Cannot submit \(selector): \(answer.string ?? answer.description).")
        }
        _ = try await session.waitFor("Page.loadEventFired", since: mark)
        return Visit(url: try await evaluate("location.href").string ?? "?", errorText: nil, events: await session.events(since: mark))
    }

    func logIn(_ login: String, password: String) async throws -> Visit {
        try await submit(#"form[action="/login"]"#, fields: ["login": login, "password": password],
                         required: ["login", "password", "next"])
    }

    /// The hub's own links on the page (path and query), without fragments.
    func links() async throws -> [String] {
        let script = """
        Array.from(document.querySelectorAll('a[href]'))
          .map(a => new URL(a.href, location.href))
          .filter(u => u.origin === location.origin)
          .map(u => u.pathname + u.search)
        """
        return (try await evaluate(script).array ?? []).compactMap(\.string)
    }

    /// Evaluates a JavaScript expression in the page and returns its value; a thrown error throws.
    func evaluate(_ expression: String) async throws -> JSONValue {
        let result = try await session.send("Runtime.evaluate", [
            "expression": .string(expression), "returnByValue": true, "awaitPromise": true,
        ])
        if let details = result["exceptionDetails"] {
            throw BrowserTestError(description: "The page's script failed: \(details["exception"]?["description"]?.string ?? details.description)")
        }
        return result["result"]?["value"] ?? .null
    }

    func findings() async throws -> PageFindings {
        PageFindings(try await evaluate(PageFindings.script))
    }

    /// The session cookie as Chromium keeps it, with its attributes.
    func cookie(_ name: String) async throws -> JSONValue? {
        let result = try await session.send("Network.getCookies", ["urls": [.string(origin + "/")]])
        return result["cookies"]?.array?.first { $0["name"]?.string == name }
    }

    /// Saves a PNG of the whole page (not only the 768 px window) as `<folder>/<name>.png`.
    func screenshot(_ name: String, in folder: URL) async throws {
        let metrics = try await session.send("Page.getLayoutMetrics")
        let size = metrics["cssContentSize"] ?? metrics["contentSize"]
        let width = max(1366, min(4000, size?["width"]?.double ?? 1366))
        let height = max(768, min(12000, size?["height"]?.double ?? 768))
        let shot = try await session.send("Page.captureScreenshot", [
            "format": "png", "captureBeyondViewport": true,
            "clip": ["x": 0, "y": 0, "width": .number(width), "height": .number(height), "scale": 1],
        ])
        guard let base64 = shot["data"]?.string, let png = Data(base64Encoded: base64) else {
            throw BrowserTestError(description: "Chromium returned no screenshot for \(name).")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try png.write(to: folder.appendingPathComponent("\(name).png"))
    }
}
