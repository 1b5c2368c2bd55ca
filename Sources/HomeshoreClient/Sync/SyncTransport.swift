import HomeshoreCore

/// How the sync engine reaches the hub. Tests wrap the real HTTPS transport to lose answers on the way back.
public protocol SyncTransport: Sendable {
    func sync(_ request: SyncRequest) async throws -> SyncResponse
}
