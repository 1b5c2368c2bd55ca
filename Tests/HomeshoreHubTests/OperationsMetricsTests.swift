import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 5.5: `GET /metrics` in Prometheus text format, on the real routes and a real SQLite store.
@Suite struct OperationsMetricsTests {
    @Test func opCountersAndSyncHistogramFollowThePushes() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 2)
        let token = try await hub.deviceHolding(["D-000001"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        let d2 = try await hub.dossierId("D-000002")
        var ops = OpFactory()
        let batch = [ops.make("note", dossier: d1, payload: OpPayload(text: "un")),
                     ops.make("note", dossier: d2, payload: OpPayload(text: "pas à moi")),
                     ops.make("note", dossier: d1, payload: OpPayload(text: "deux"))]
        let metrics = OperationsMetrics()
        try await app(hub, metrics).test(.router) { client in
            let first = try await client.sync(SyncRequest(cursor: 0, ops: batch), token: token)
            #expect(first.results.map(\.status) == [.applied, .rejected, .applied])
            // The client lost the answer and sends the first op again.
            let again = try await client.sync(SyncRequest(cursor: first.cursor, ops: [batch[0]]), token: token)
            #expect(again.results.map(\.status) == [.duplicate])
            _ = try await client.sync(SyncRequest(cursor: again.cursor, ops: []), token: token)
            // A refused sync is counted as a request, not as a sync duration.
            let (status, _) = try await client.post("/v1/sync", body: ByteBuffer(string: "{}"), headers: [.contentType: "application/json"])
            #expect(status == .unauthorized)

            let scrape = try await client.scrape()
            #expect(scrape["homeshore_ops_total{result=\"applied\"}"] == 2)
            #expect(scrape["homeshore_ops_total{result=\"rejected\"}"] == 1)
            #expect(scrape["homeshore_ops_total{result=\"duplicate\"}"] == 1)
            #expect(scrape["homeshore_sync_duration_seconds_count"] == 3)
            #expect(scrape["homeshore_sync_duration_seconds_bucket{le=\"+Inf\"}"] == 3)
            // Which finite bucket a sync lands in depends on the machine's load; only the total is fixed.
            #expect((scrape["homeshore_sync_duration_seconds_bucket{le=\"10.0\"}"] ?? -1) <= 3)
            #expect(scrape["homeshore_sync_duration_seconds_bucket{le=\"0.005\"}"] != nil)
            #expect((scrape["homeshore_sync_duration_seconds_sum"] ?? 0) > 0)
            #expect(scrape[request("/v1/sync", "POST", 200)] == 3)
            #expect(scrape[request("/v1/sync", "POST", 401)] == 1)
        }
    }

    @Test func errorsAreCountedWithTheirStatusAndRouteTemplate() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let token = try await hub.deviceHolding(["D-000001"], for: "alice")
        let metrics = OperationsMetrics()
        try await app(hub, metrics).test(.router) { client in
            try await client.execute(uri: "/v1/dossiers/D-000001", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/dossiers/D-000001", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/no/such/D-000001", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/nothing", method: .get) { #expect($0.status == .notFound) }
            // A made-up method must not mint a new series per request.
            try await client.execute(uri: "/v1/nothing", method: try #require(HTTPRequest.Method("BREW")), headers: [:]) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
        // Read the registry directly: what these requests counted, before any scrape adds its own.
        let counts = try Exposition(String(decoding: metrics.exposition(), as: UTF8.self))
        #expect(counts[request("/v1/dossiers/:reference", "GET", 401)] == 1)
        #expect(counts[request("/v1/dossiers/:reference", "GET", 200)] == 1)
        #expect(counts[request("unmatched", "GET", 404)] == 2)
        #expect(counts[request("unmatched", "other", 404)] == 1)
        #expect(counts[request("/healthz", "GET", 200)] == 1)
        #expect(counts.samples.keys.filter { $0.hasPrefix("homeshore_http_requests_total") }.count == 5)
    }

    @Test func deviceGaugesBucketActiveDevicesByLastSyncAge() async throws {
        let hub = try HubFixture()
        let base = hub.clock
        let alice = try await hub.agentWithDevice("alice")
        let bob = try await hub.agentWithDevice("bob")
        _ = try await hub.agentWithDevice("carol")
        let dave = try await hub.agentWithDevice("dave")
        let metrics = OperationsMetrics()
        try await app(hub, metrics).test(.router) { client in
            hub.clock = base.addingTimeInterval(-2 * 86400)
            _ = try await client.sync(SyncRequest(cursor: 0, ops: []), token: bob)
            hub.clock = base
            _ = try await client.sync(SyncRequest(cursor: 0, ops: []), token: alice)
            _ = try await client.sync(SyncRequest(cursor: 0, ops: []), token: dave)
            // A revoked laptop is not expected to sync again: it is left out of the gauges.
            try await hub.store.setStatus(login: "dave", to: .revoked, now: base)

            var scrape = try await client.scrape()
            #expect(scrape["homeshore_devices{last_sync=\"lt_1h\"}"] == 1)
            #expect(scrape["homeshore_devices{last_sync=\"lt_24h\"}"] == 0)
            #expect(scrape["homeshore_devices{last_sync=\"lt_7d\"}"] == 1)
            #expect(scrape["homeshore_devices{last_sync=\"ge_7d\"}"] == 0)
            #expect(scrape["homeshore_devices{last_sync=\"never\"}"] == 1)
            #expect(scrape["homeshore_store_up"] == 1)

            // Computed at scrape time: six days on, the same syncs have aged.
            hub.clock = base.addingTimeInterval(6 * 86400)
            scrape = try await client.scrape()
            #expect(scrape["homeshore_devices{last_sync=\"lt_7d\"}"] == 1)
            #expect(scrape["homeshore_devices{last_sync=\"ge_7d\"}"] == 1)
            #expect(scrape["homeshore_devices{last_sync=\"lt_1h\"}"] == 0)
            #expect(scrape["homeshore_devices{last_sync=\"never\"}"] == 1)
        }
    }

    @Test func theExpositionParsesAndCarriesNoDebtorDataOrSecrets() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 2)
        let token = try await hub.deviceHolding(["D-000001", "D-000002"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let note = ops.make("note", dossier: d1, payload: OpPayload(text: "secret note"))
        let metrics = OperationsMetrics()
        try await app(hub, metrics).test(.router) { client in
            _ = try await client.sync(SyncRequest(cursor: 0, ops: [note]), token: token)
            try await client.execute(uri: "/v1/dossiers/D-000002", method: .get, headers: [.authorization: "Bearer \(token)"]) { _ in }
            try await client.execute(uri: "/v1/dossiers/D-000002", method: .get, headers: [.authorization: "Bearer wrong-\(token)"]) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                let exposition = try Exposition(text)
                #expect(exposition.samples.count > 20)
                let debtor = try await hub.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).dossier.debtorName
                for secret in ["D-000001", "D-000002", d1, token, "alice", "secret note", debtor] {
                    #expect(!text.contains(secret), "the exposition leaks \(secret)")
                }
            }
        }
    }

    @Test func routeLabelsAreTemplates() {
        #expect(MetricsMiddleware<HubRequestContext>.route("/v1/dossiers/{reference}") == "/v1/dossiers/:reference")
        #expect(MetricsMiddleware<HubRequestContext>.route("/v1/sync") == "/v1/sync")
        #expect(MetricsMiddleware<HubRequestContext>.route("NotFound") == "unmatched")
        #expect(MetricsMiddleware<HubRequestContext>.route(nil) == "unmatched")
    }

    @Test func theParserRefusesWhatPrometheusWouldRefuse() {
        // So that the exposition test above cannot pass by accepting anything.
        for bad in ["homeshore_x{route=/v1/sync} 1\n", "# TYPE homeshore_x counter\nhomeshore_x 1 2 3\n",
                    "homeshore_x 1\n", "# TYPE homeshore_x counter\nhomeshore_x{a=\"1\"} one\n"] {
            withKnownIssue { _ = try Exposition(bad) }
        }
    }

    // MARK: helpers

    /// The fixture's app, with the registry the test reads.
    func app(_ hub: HubFixture, _ metrics: OperationsMetrics) throws -> some ApplicationProtocol {
        var options = HubServerOptions(tls: nil, now: { hub.clock })
        options.metrics = metrics
        return try buildApplication(store: hub.store, options: options)
    }

    func request(_ route: String, _ method: String, _ status: Int) -> String {
        "homeshore_http_requests_total{route=\"\(route)\",method=\"\(method)\",status=\"\(status)\"}"
    }
}

/// A strict reading of the Prometheus text exposition format 0.0.4: every line is a `# HELP`, a
/// `# TYPE` or a sample `name{label="value",…} value` of a family whose TYPE came first.
struct Exposition {
    var samples: [String: Double] = [:]

    init(_ text: String) throws {
        let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
        let label = #"[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*""#
        let sample = try Regex(#"(\#(name))((?:\{\#(label)(?:,\#(label))*\})?) (\S+)"#)
        let comment = try Regex(#"# (HELP|TYPE) (\#(name)) (.*)"#)
        var typed: [String: String] = [:]
        #expect(text.hasSuffix("\n"))
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if let match = line.wholeMatch(of: comment) {
                let family = String(try #require(match.output[2].substring))
                if match.output[1].substring == "TYPE" {
                    let type = String(try #require(match.output[3].substring))
                    #expect(["counter", "gauge", "histogram", "summary", "untyped"].contains(type))
                    #expect(typed[family] == nil, "two TYPE lines for \(family)")
                    typed[family] = type
                }
                continue
            }
            let match = try #require(line.wholeMatch(of: sample), "not a sample line: \(line)")
            let metric = String(try #require(match.output[1].substring))
            let key = metric + String(try #require(match.output[2].substring))
            let valueText = String(try #require(match.output[3].substring))
            let value = try #require(valueText == "+Inf" ? .infinity : Double(valueText), "bad value in \(line)")
            let family = typed[metric] != nil ? metric
                : ["_bucket", "_sum", "_count"].compactMap { metric.hasSuffix($0) ? String(metric.dropLast($0.count)) : nil }.first ?? metric
            #expect(typed[family] != nil, "sample before its TYPE: \(line)")
            #expect(samples[key] == nil, "duplicate series \(key)")
            samples[key] = value
        }
    }

    subscript(_ key: String) -> Double? { samples[key] }
}

extension TestClientProtocol {
    /// GETs `/metrics` and parses it strictly.
    func scrape() async throws -> Exposition {
        try await execute(uri: "/metrics", method: .get) { response in
            #expect(response.status == .ok)
            return try Exposition(String(buffer: response.body))
        }
    }
}
