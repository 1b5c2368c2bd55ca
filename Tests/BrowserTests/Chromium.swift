import AsyncHTTPClient
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A headless Chromium process with its own throw-away profile, driven over DevTools.
final class Chromium: @unchecked Sendable {
    let folder: URL
    let logPath: String
    private let process = Process()
    private let log: FileHandle

    /// The Debian `chromium` package's launcher (`make deps` installs it), found on PATH.
    static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/chromium" } + ["/usr/bin/chromium"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BrowserTestError(description: "Chromium is not installed (no `chromium` on PATH); run `make deps`, "
                + "which installs the Debian chromium package the dashboard browser test needs.")
        }
        return found
    }

    /// Starts Chromium. With `pin`, the hub's key is trusted through its SPKI hash and nothing else:
    /// certificate verification stays on for every other key.
    init(pin: String?) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        logPath = folder.appendingPathComponent("chromium.log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        var arguments = [
            "--headless=new", "--remote-debugging-port=0",
            // HummingbirdWSClient sends `Origin: ws://127.0.0.1`; DevTools refuses any origin not listed.
            "--remote-allow-origins=ws://127.0.0.1",
            "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu",
            // Nothing but the hub: no updates or field trials fetched on an offline CI machine.
            "--disable-background-networking", "--disable-component-update",
            "--window-size=1366,768",
        ]
        // Chromium's sandbox cannot start as root (CI containers); an ordinary user keeps it.
        if getuid() == 0 { arguments.append("--no-sandbox") }
        if let pin { arguments.append("--ignore-certificate-errors-spki-list=\(pin)") }
        arguments.append("about:blank")
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// The page target's DevTools session, once Chromium has written its port.
    func session() async throws -> ChromiumSession {
        let portFile = folder.appendingPathComponent("profile/DevToolsActivePort").path
        let port: Int
        do {
            port = try await poll(.seconds(120), "Chromium to start (DevToolsActivePort)") { [self] () -> Int? in
                guard process.isRunning else {
                    throw BrowserTestError(description: "Chromium exited at start (status \(process.terminationStatus)):\n\(logTail())")
                }
                let text = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
                return text.split(separator: "\n").first.flatMap { Int($0) }
            }
        } catch let error as TimedOut {
            throw BrowserTestError(description: "\(error) Chromium's log ends:\n\(logTail())")
        }
        let url = try await poll(.seconds(60), "a page target in /json/list") { () -> String? in
            let targets = try await Self.getJSON("http://127.0.0.1:\(port)/json/list")
            return targets.array?.first { $0["type"]?.string == "page" }?["webSocketDebuggerUrl"]?.string
        }
        return try await ChromiumSession.connect(to: url)
    }

    /// Stops Chromium (politely, then not) and removes its profile: called on every path out of a test.
    func stop() async {
        if process.isRunning {
            process.terminate()
            let ended = (try? await poll(.seconds(20), "Chromium to exit") { [process] in process.isRunning ? nil : true }) ?? false
            if !ended { _ = kill(process.processIdentifier, SIGKILL) }
            _ = try? await poll(.seconds(20), "Chromium to die") { [process] in process.isRunning ? nil : true }
        }
        try? log.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The end of Chromium's own log, for failure messages.
    func logTail(_ characters: Int = 3000) -> String {
        String(((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").suffix(characters))
    }

    private static func getJSON(_ url: String) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONValue.parse(String(buffer: body))
    }

    /// Runs `body` with a fresh Chromium and its page session; Chromium is stopped whatever happens.
    static func run<T: Sendable>(pin: String?, _ body: (ChromiumSession) async throws -> T) async throws -> T {
        let chromium = try Chromium(pin: pin)
        do {
            let session = try await chromium.session()
            let result: T
            do {
                result = try await body(session)
            } catch {
                await session.disconnect()
                throw error
            }
            await session.disconnect()
            await chromium.stop()
            return result
        } catch {
            await chromium.stop()
            throw error
        }
    }
}
