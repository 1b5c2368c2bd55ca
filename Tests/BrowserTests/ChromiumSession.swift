import Foundation
import HummingbirdWSClient
import Logging

/// One DevTools event, numbered in arrival order so a step can read what happened since it began.
struct DevToolsEvent: Sendable {
    let index: Int
    let method: String
    let params: JSONValue
}

/// Something the browser test cannot go on after: no Chromium, a DevTools refusal, a lost connection,
/// a failed log-in. The description says what to do or look at.
struct BrowserTestError: Error, CustomStringConvertible {
    let description: String
}

/// A Chrome DevTools Protocol client for one page target, over the page's WebSocket.
///
/// Commands are matched to answers by id; every event is kept, so the test can both wait for one
/// (`Page.loadEventFired`) and afterwards sweep all of them for errors.
actor ChromiumSession {
    /// Full-page screenshots arrive as one base64 text frame of several megabytes.
    private static let maxMessage = 64 << 20

    private var outbound: WebSocketOutboundWriter?
    private var connection: Task<Void, Never>?
    private var closed: BrowserTestError?
    private var nextId = 0
    private var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
    private var timers: [Int: Task<Void, Never>] = [:]
    private var waiters: [Int: Waiter] = [:]
    private(set) var events: [DevToolsEvent] = []

    private struct Waiter {
        let method: String
        let matches: @Sendable (JSONValue) -> Bool
        let continuation: CheckedContinuation<DevToolsEvent, any Error>
    }

    static func connect(to url: String, timeout: Duration = .seconds(60)) async throws -> ChromiumSession {
        let session = ChromiumSession()
        await session.open(url)
        _ = try await poll(timeout, "the DevTools WebSocket at \(url)") {
            try await session.connected() ? true : nil
        }
        return session
    }

    private func open(_ url: String) {
        var logger = Logger(label: "devtools")
        logger.logLevel = .error
        let configuration = WebSocketClientConfiguration(maxFrameSize: Self.maxMessage)
        connection = Task {
            do {
                try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                    await self.attach(outbound)
                    for try await message in inbound.messages(maxSize: Self.maxMessage) {
                        if case .text(let text) = message { await self.receive(text) }
                    }
                }
                self.shut(BrowserTestError(description: "Chromium closed the DevTools connection."))
            } catch {
                self.shut(BrowserTestError(description: "The DevTools connection failed: \(error)."))
            }
        }
    }

    private func attach(_ writer: WebSocketOutboundWriter) { outbound = writer }

    private func connected() throws -> Bool {
        if let closed { throw closed }
        return outbound != nil
    }

    /// Sends a command and returns its `result`; a DevTools error answer throws.
    @discardableResult
    func send(_ method: String, _ params: JSONValue = [:], timeout: Duration = .seconds(90)) async throws -> JSONValue {
        if let closed { throw closed }
        guard let outbound else { throw BrowserTestError(description: "DevTools is not connected.") }
        nextId += 1
        let id = nextId
        let text = try JSONValue.object(["id": .number(Double(id)), "method": .string(method), "params": params]).text()
        return try await withCheckedThrowingContinuation { continuation in
            pending[id] = continuation
            timers[id] = Task {
                try? await Task.sleep(for: timeout)
                self.answer(id, .failure(TimedOut(what: "the answer to \(method)", after: timeout)))
            }
            Task {
                do { try await outbound.writeTextMessage(text) } catch {
                    self.answer(id, .failure(BrowserTestError(description: "Could not send \(method): \(error).")))
                }
            }
        }
    }

    /// The index the next event will have: pass it to `waitFor` and `events(since:)`.
    func mark() -> Int { events.count }

    func events(since mark: Int) -> [DevToolsEvent] { Array(events[min(mark, events.count)...]) }

    /// The first `method` event at or after `mark` that `matches`, waiting for it if needed.
    func waitFor(_ method: String, since mark: Int, timeout: Duration = .seconds(90),
                 matching matches: @escaping @Sendable (JSONValue) -> Bool = { _ in true }) async throws -> DevToolsEvent {
        if let seen = events[min(mark, events.count)...].first(where: { $0.method == method && matches($0.params) }) {
            return seen
        }
        if let closed { throw closed }
        nextId += 1
        let id = nextId
        return try await withCheckedThrowingContinuation { continuation in
            waiters[id] = Waiter(method: method, matches: matches, continuation: continuation)
            timers[id] = Task {
                try? await Task.sleep(for: timeout)
                self.expireWaiter(id, TimedOut(what: method, after: timeout))
            }
        }
    }

    /// Closes the WebSocket (Chromium keeps running) and waits for the connection task to end.
    func disconnect() async {
        try? await outbound?.close(.normalClosure, reason: nil)
        let connection = connection
        _ = try? await withTimeout(.seconds(20), "the DevTools connection to close") { await connection?.value }
        // A Chromium that never answers the close must not keep the connection (and the test) alive.
        connection?.cancel()
        shut(BrowserTestError(description: "DevTools was disconnected."))
    }

    private func receive(_ text: String) {
        guard let message = try? JSONValue.parse(text) else { return }
        if let id = message["id"]?.int {
            if let error = message["error"] {
                answer(id, .failure(BrowserTestError(description: "DevTools refused the command: \(error)")))
            } else {
                answer(id, .success(message["result"] ?? [:]))
            }
        } else if let method = message["method"]?.string {
            let event = DevToolsEvent(index: events.count, method: method, params: message["params"] ?? [:])
            events.append(event)
            for (id, waiter) in waiters where waiter.method == method && waiter.matches(event.params) {
                waiters[id] = nil
                timers.removeValue(forKey: id)?.cancel()
                waiter.continuation.resume(returning: event)
            }
        }
    }

    private func answer(_ id: Int, _ result: Result<JSONValue, any Error>) {
        timers.removeValue(forKey: id)?.cancel()
        pending.removeValue(forKey: id)?.resume(with: result)
    }

    private func expireWaiter(_ id: Int, _ error: any Error) {
        timers[id] = nil
        waiters.removeValue(forKey: id)?.continuation.resume(throwing: error)
    }

    /// Fails everything still waiting: nothing will answer on a closed connection.
    private func shut(_ error: BrowserTestError) {
        if closed == nil { closed = error }
        outbound = nil
        for id in Array(pending.keys) { answer(id, .failure(error)) }
        for id in Array(waiters.keys) { timers.removeValue(forKey: id)?.cancel(); expireWaiter(id, error) }
    }
}
