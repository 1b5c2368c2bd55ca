import HomeshoreCore
import Hummingbird

/// Liveness says the process answers; readiness says it can reach its store.
struct HealthController {
    let store: any HubStore

    func register(on router: Router<HubRequestContext>) {
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            do {
                try await store.ping()
                // Typed like /healthz's answer (docs/openapi.yaml): a body without a Content-Type is left to guessing.
                return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
            } catch {
                throw HomeshoreError("store_unavailable", "The hub cannot reach its database.")
            }
        }
    }
}
