import Foundation
import HomeshoreCore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

public struct HubServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// nil only for in-process router tests; `homeshore-hub serve` always passes the hub's certificate.
    public var tls: TLSConfiguration?
    public var pageSize: Int
    public var logger: Logger
    public var now: @Sendable () -> Date
    public var onServerRunning: @Sendable (Int) async -> Void
    /// Background work that starts and stops with the server.
    public var services: [any Service] = []
    /// What `GET /metrics` exposes; one per application (never the global MetricsSystem), so tests
    /// building many apps in one process can each read their own.
    public var metrics = OperationsMetrics()
    /// Devices silent longer than this are flagged in the sync report and on the dashboard.
    public var silentAfter: TimeInterval = 24 * 3_600
    /// A connection that sends nothing for this long is closed: between requests, during the TLS
    /// handshake, or before a request's header is complete (a slow or silent client cannot pin it).
    public var idleTimeout: TimeAmount = .seconds(30)
    /// A request whose body stops arriving for this long is dropped.
    public var bodyTimeout: TimeAmount = .seconds(30)

    public init(host: String = "0.0.0.0", port: Int = 8443, tls: TLSConfiguration?, pageSize: Int = Limits.pageDossiers,
                logger: Logger = Logger(label: "homeshore-hub"), now: @escaping @Sendable () -> Date = { Date() },
                onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.host = host
        self.port = port
        self.tls = tls
        self.pageSize = pageSize
        self.logger = logger
        self.now = now
        self.onServerRunning = onServerRunning
    }
}

public func buildApplication(store: any HubStore, options: HubServerOptions) throws -> some ApplicationProtocol {
    let router = Router(context: HubRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    // Before ErrorMiddleware, so it counts the status errors were turned into.
    router.add(middleware: MetricsMiddleware(metrics: options.metrics))
    router.add(middleware: ErrorMiddleware())
    HealthController(store: store).register(on: router)
    MetricsController(metrics: options.metrics, store: store, now: options.now).register(on: router)
    EnrollController(store: store, now: options.now).register(on: router)
    SyncController(store: store, pageSize: options.pageSize, now: options.now, metrics: options.metrics).register(on: router)
    LookupController(store: store).register(on: router)
    ReportsController(store: store, now: options.now, silentAfter: options.silentAfter).register(on: router)
    DashboardController(store: store, now: options.now, silentAfter: options.silentAfter).register(on: router)

    let bodyTimeout = options.bodyTimeout
    let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [BodyTimeoutHandler(timeout: bodyTimeout), MalformedRequestHandler()],
                                           idleTimeout: options.idleTimeout)
    let server: HTTPServerBuilder = if let tls = options.tls {
        try .tls(.http1(configuration: http1), tlsConfiguration: tls)
    } else {
        .http1(configuration: http1)
    }
    let onServerRunning = options.onServerRunning
    return Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: "homeshore-hub"),
        services: options.services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: options.logger)
}
