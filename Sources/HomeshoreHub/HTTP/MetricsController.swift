import Foundation
import Hummingbird

/// `GET /metrics`: the operations metrics in Prometheus text format.
///
/// No authentication, on purpose: Prometheus scrapes it with no token, and nothing in it names a
/// debtor, a dossier, an agent login or a token — only counts, durations and route templates.
/// Operators who want it private keep it off the public interface with a firewall rule.
struct MetricsController {
    let metrics: OperationsMetrics
    let store: any HubStore
    let now: @Sendable () -> Date

    func register(on router: Router<HubRequestContext>) {
        router.get("/metrics") { _, context -> Response in
            // A store outage is when the other figures matter most: answer anyway, flag it, and keep
            // the last device counts rather than fail the whole scrape.
            do {
                try await metrics.refreshDevices(from: store, now: now())
                metrics.storeUp.set(to: 1)
            } catch {
                context.logger.warning("metrics: cannot count devices", metadata: ["error.type": "\(type(of: error))"])
                metrics.storeUp.set(to: 0)
            }
            return Response(status: .ok, headers: [.contentType: OperationsMetrics.contentType],
                            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }
}
