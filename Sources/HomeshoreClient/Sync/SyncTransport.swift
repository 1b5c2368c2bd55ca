import HomeshoreCore

/// How the sync engine reaches the hub. Tests wrap the real HTTPS transport to lose answers on the way back.
public protocol SyncTransport: Sendable {
    func sync(_ request: SyncRequest) async throws -> SyncResponse
    /// The answer with, when the transport has it, the hub's own text of each record (RawPage).
    func pull(_ request: SyncRequest) async throws -> PulledPage
}

extension SyncTransport {
    public func pull(_ request: SyncRequest) async throws -> PulledPage {
        PulledPage(response: try await sync(request))
    }
}

/// One sync answer, decoded, with the records' JSON text as the hub wrote it when known.
public struct PulledPage: Sendable {
    public var response: SyncResponse
    var raw: RawPage?

    public init(response: SyncResponse) {
        self.response = response
    }

    init(response: SyncResponse, raw: RawPage?) {
        self.response = response
        self.raw = raw
    }
}
