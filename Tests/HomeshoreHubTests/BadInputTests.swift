import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// DESIGN §5.6: every bad request gets a 4xx JSON error naming the problem, writes nothing, and the
/// hub goes on serving.
@Suite struct BadInputTests {
    func json(_ token: String?) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return headers
    }

    @Test func tokensMissingWrongOrRevokedAre401() async throws {
        let hub = try HubFixture()
        let token = try await hub.agentWithDevice("alice")
        let body = ByteBuffer(bytes: try WireJSON.encode(SyncRequest(cursor: 0, ops: [])))
        try await hub.app().test(.router) { client in
            var (status, error) = try await client.post("/v1/sync", body: body, headers: json(nil))
            #expect(status == .unauthorized && error?.code == "missing_token")
            (status, error) = try await client.post("/v1/sync", body: body, headers: json("not-a-token"))
            #expect(status == .unauthorized && error?.code == "invalid_token")
            (status, _) = try await client.post("/v1/sync", body: body, headers: json(token))
            #expect(status == .ok)
            try await hub.store.setStatus(login: "alice", to: .revoked, now: Date())
            (status, error) = try await client.post("/v1/sync", body: body, headers: json(token))
            #expect(status == .unauthorized && error?.code == "device_revoked")
        }
    }

    @Test func malformedBodiesNameTheProblem() async throws {
        let hub = try HubFixture()
        let token = try await hub.agentWithDevice("alice")
        try await hub.app().test(.router) { client in
            var (status, error) = try await client.post("/v1/sync", body: ByteBuffer(string: "{\"cursor\": 0, \"ops\": ["), headers: json(token))
            #expect(status == .badRequest && error?.code == "invalid_json")
            (status, error) = try await client.post("/v1/sync", body: ByteBuffer(string: "{\"cursor\": \"zero\", \"ops\": []}"), headers: json(token))
            #expect(status == .badRequest && error?.message.contains("cursor") == true)
            (status, error) = try await client.post("/v1/sync", body: ByteBuffer(string: "{\"cursor\": 0}"), headers: json(token))
            #expect(status == .badRequest && error?.message.contains("ops") == true)
            (status, error) = try await client.post("/v1/sync", body: ByteBuffer(string: "{\"cursor\": -5, \"ops\": []}"), headers: json(token))
            #expect(status == .badRequest && error?.code == "invalid_cursor")
            let op = "{\"id\":\"x\",\"device_seq\":1,\"kind\":\"note\",\"dossier_id\":\"d\",\"recorded_at\":\"now\",\"hlc\":\"h\",\"payload\":{\"text\":42}}"
            (status, error) = try await client.post("/v1/sync", body: ByteBuffer(string: "{\"cursor\": 0, \"ops\": [\(op)]}"), headers: json(token))
            #expect(status == .badRequest && error?.message.contains("ops.[0].payload.text") == true)
            // Still serving, and nothing was written.
            (status, _) = try await client.post("/v1/sync", body: ByteBuffer(bytes: try WireJSON.encode(SyncRequest(cursor: 0, ops: []))), headers: json(token))
            #expect(status == .ok)
        }
        #expect(try await hub.store.eventCount(kind: nil) == 0)
    }

    @Test func oversizedBodiesAre413EvenWhenCompressed() async throws {
        let hub = try HubFixture()
        let token = try await hub.agentWithDevice("alice")
        let huge = ByteBuffer(repeating: UInt8(ascii: " "), count: Limits.maxBodyBytes + 1)
        try await hub.app().test(.router) { client in
            var (status, error) = try await client.post("/v1/sync", body: huge, headers: json(token))

            #expect(status == .contentTooLarge && error?.code == "body_too_large")
            // A small gzip body that inflates past the limit is refused the same way.
            var headers = json(token)
            headers[.contentEncoding] = "gzip"
            (status, error) = try await client.post("/v1/sync", body: try Gzip.compress(huge), headers: headers)
            #expect(status == .contentTooLarge && error?.code == "body_too_large")
            (status, error) = try await client.post("/v1/sync", body: ByteBuffer(string: "not gzip"), headers: headers)
            #expect(status == .badRequest && error?.code == "invalid_gzip")
        }
    }

    @Test func tooManyOpsInOneBatchIsRefusedWhole() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 1)
        let token = try await hub.deviceHolding(["D-000001"], for: "alice")
        let d1 = try await hub.dossierId("D-000001")
        var ops = OpFactory()
        let batch = (0...Limits.maxOpsPerBatch).map { _ in ops.make("note", dossier: d1, payload: OpPayload(text: "n")) }
        try await hub.app().test(.router) { client in
            let (status, error) = try await client.post("/v1/sync", body: ByteBuffer(bytes: try WireJSON.encode(SyncRequest(cursor: 0, ops: batch))), headers: json(token))
            #expect(status == .badRequest && error?.code == "too_many_ops")
        }
        #expect(try await hub.store.eventCount(kind: "note") == 0)
    }

    @Test func gzipTravelsBothWays() async throws {
        let hub = try HubFixture()
        try await hub.importSample(count: 30)
        let token = try await hub.deviceHolding(HubFixture.refs(1...30), for: "alice")
        try await hub.app().test(.router) { client in
            var headers = json(token)
            headers[.contentEncoding] = "gzip"
            headers[.acceptEncoding] = "gzip"
            let body = try Gzip.compress(ByteBuffer(bytes: try WireJSON.encode(SyncRequest(cursor: 0, ops: []))))
            try await client.execute(uri: "/v1/sync", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == "gzip")
                let plain = try Gzip.decompress(response.body)
                let answer = try WireJSON.decode(SyncResponse.self, from: Data(plain.readableBytesView))
                #expect(answer.upserts.count == 30)
            }
        }
    }

    @Test func unknownRoutesAndHealth() async throws {
        let hub = try HubFixture()
        try await hub.app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try WireJSON.decode(ErrorBody.self, from: Data(response.body.readableBytesView)).error
                #expect(error.code == "not_found")
            }
        }
    }
}
