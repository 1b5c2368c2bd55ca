import Foundation

/// Reads DevTools events for what a supervisor would see go wrong: script exceptions, console
/// errors, browser log errors (CSP violations, failed subresources), error statuses, failed loads.
enum PageProblems {
    /// `allowing401` is the login page's URL: that page answers 401 on purpose, with the form.
    static func find(in events: [DevToolsEvent], allowing401 loginURL: String? = nil) -> [String] {
        var urls: [String: String] = [:]
        var problems: [String] = []
        for event in events {
            let p = event.params
            switch event.method {
            case "Network.requestWillBeSent":
                if let id = p["requestId"]?.string, let url = p["request"]?["url"]?.string { urls[id] = url }
            case "Runtime.exceptionThrown":
                let details = p["exceptionDetails"]
                let message = details?["exception"]?["description"]?.string ?? details?["text"]?.string ?? "?"
                problems.append("script exception: \(message) at \(details?["url"]?.string ?? "?"):\(details?["lineNumber"]?.int ?? 0)")
            case "Runtime.consoleAPICalled" where ["error", "assert"].contains(p["type"]?.string):
                let args = p["args"]?.array?.map { $0["value"]?.description ?? $0["description"]?.string ?? "?" } ?? []
                problems.append("console.\(p["type"]?.string ?? "error"): \(args.joined(separator: " "))")
            case "Log.entryAdded" where p["entry"]?["level"]?.string == "error":
                let entry = p["entry"]
                let text = entry?["text"]?.string ?? "?"
                let url = entry?["url"]?.string ?? ""
                if let loginURL, url == loginURL, text.contains("status of 401") { continue }
                problems.append("browser log (\(entry?["source"]?.string ?? "?")): \(text) \(url)")
            case "Network.responseReceived":
                let status = p["response"]?["status"]?.int ?? 0
                let url = p["response"]?["url"]?.string ?? "?"
                guard status >= 400 else { continue }
                if status == 401, p["type"]?.string == "Document", url == loginURL { continue }
                problems.append("HTTP \(status) for \(p["type"]?.string ?? "?") \(url)")
            case "Network.loadingFailed" where p["canceled"]?.bool != true:
                let url = p["requestId"]?.string.flatMap { urls[$0] } ?? "?"
                let blocked = p["blockedReason"]?.string.map { " (blocked: \($0))" } ?? ""
                problems.append("load failed: \(p["errorText"]?.string ?? "?")\(blocked) for \(url)")
            case "Inspector.targetCrashed":
                problems.append("the page's renderer crashed")
            default:
                continue
            }
        }
        return problems
    }
}
