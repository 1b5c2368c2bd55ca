import HomeshoreCore
import Hummingbird
import Prometheus

/// The hub's operations metrics, in a registry of their own rather than the global `MetricsSystem`:
/// each application gets one (tests build many in one process), and `GET /metrics` renders it.
///
/// The hot-path collectors (sync histogram, op counters) are created once here so a sync only
/// touches atomics and one short lock, never the registry's name table or the store.
public final class OperationsMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let syncDuration: DurationHistogram
    let ops: [OpStatus: Counter]
    let devices: [DeviceSyncAge: Gauge]
    let storeUp: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        syncDuration = registry.makeDurationHistogram(descriptor: Self.syncDurationName, labels: [], buckets: Self.syncBuckets)
        // Every series exists from the start at 0, so rate() and alerts work before the first event.
        ops = Dictionary(uniqueKeysWithValues: [OpStatus.applied, .duplicate, .rejected].map { status in
            (status, registry.makeCounter(descriptor: Self.opsName, labels: [("result", status.rawValue)]))
        })
        devices = Dictionary(uniqueKeysWithValues: DeviceSyncAge.allCases.map { age in
            (age, registry.makeGauge(descriptor: Self.devicesName, labels: [("last_sync", age.rawValue)]))
        })
        storeUp = registry.makeGauge(descriptor: Self.storeUpName, labels: [])
    }

    /// Counts one answered request. `route` must be a route template or "unmatched", never a raw path.
    func countRequest(route: String, method: String, status: Int) {
        registry.makeCounter(descriptor: Self.requestsName,
                             labels: [("route", route), ("method", method), ("status", String(status))]).increment()
    }

    /// Counts the results of one pushed batch, once the store has committed it.
    func countOps(_ results: [OpResult]) {
        var applied: Int64 = 0, duplicate: Int64 = 0, rejected: Int64 = 0
        for result in results {
            switch result.status {
            case .applied: applied += 1
            case .duplicate: duplicate += 1
            case .rejected: rejected += 1
            }
        }
        if applied > 0 { ops[.applied]?.increment(by: applied) }
        if duplicate > 0 { ops[.duplicate]?.increment(by: duplicate) }
        if rejected > 0 { ops[.rejected]?.increment(by: rejected) }
    }

    /// The Prometheus text exposition (format 0.0.4) of everything registered.
    func exposition() -> [UInt8] { registry.emitToBuffer() }

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Prometheus' default latency buckets, 5 ms to 10 s: an up-to-date sync should sit in the first
    /// ones, a first sync of thousands of dossiers in the last ones.
    static let syncBuckets: [Duration] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000].map { .milliseconds($0) }

    // Computed: MetricNameDescriptor is not Sendable, so it cannot be a stored static.
    static var requestsName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "homeshore", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "HTTP requests answered, by route template, method and the status the client got.")
    }
    static var syncDurationName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "homeshore", subsystem: "sync", metricName: "duration", unitName: "seconds",
            helpText: "Time to handle a successful POST /v1/sync (push, hand-out and one pull page).")
    }
    static var opsName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "homeshore", metricName: "ops", unitName: "total",
            helpText: "Ops pushed by devices, by result: applied, duplicate (re-sent, no second effect) or rejected.")
    }
    static var devicesName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "homeshore", metricName: "devices", unitName: "",
            helpText: "Active devices (device and agent active) by age of their last sync, computed at scrape time.")
    }
    static var storeUpName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "homeshore", metricName: "store", unitName: "up",
            helpText: "1 if the last scrape could read devices from the store, else 0 (device gauges are then stale).")
    }
}
