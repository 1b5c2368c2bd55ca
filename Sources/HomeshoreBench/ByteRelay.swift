import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP relay between the clients and the hub that counts what crosses the wire, TLS included:
/// the bytes a laptop on a metered connection really pays for.
final class ByteRelay: Sendable {
    struct Counts: Sendable, Equatable {
        var up = 0
        var down = 0
        var connections = 0
    }

    private let counts = NIOLockedValueBox(Counts())
    private let channel: any Channel
    let port: Int

    init(listenPort: Int, targetPort: Int) async throws {
        let counts = self.counts
        let group = MultiThreadedEventLoopGroup.singleton
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                counts.withLockedValue { $0.connections += 1 }
                return ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: "127.0.0.1", port: targetPort)
                    .flatMap { outbound in
                        let (toHub, toClient) = RelayHandler.pair(counts: counts)
                        return inbound.pipeline.addHandler(toHub).flatMap {
                            outbound.pipeline.addHandler(toClient)
                        }
                    }
            }
            .bind(host: "127.0.0.1", port: listenPort).get()
        port = channel.localAddress?.port ?? listenPort
    }

    var current: Counts { counts.withLockedValue { $0 } }

    func reset() { counts.withLockedValue { $0 = Counts() } }

    func close() async { try? await channel.close() }
}

/// One side of a relayed connection: what it reads it writes to its partner, counted in its direction.
private final class RelayHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let counts: NIOLockedValueBox<ByteRelay.Counts>
    private let upstream: Bool
    private var partner: RelayHandler?
    private var context: ChannelHandlerContext?

    private init(counts: NIOLockedValueBox<ByteRelay.Counts>, upstream: Bool) {
        self.counts = counts
        self.upstream = upstream
    }

    static func pair(counts: NIOLockedValueBox<ByteRelay.Counts>) -> (RelayHandler, RelayHandler) {
        let toHub = RelayHandler(counts: counts, upstream: true)
        let toClient = RelayHandler(counts: counts, upstream: false)
        toHub.partner = toClient
        toClient.partner = toHub
        return (toHub, toClient)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let size = buffer.readableBytes
        counts.withLockedValue { if upstream { $0.up += size } else { $0.down += size } }
        partner?.forward(buffer)
    }

    func channelReadComplete(context: ChannelHandlerContext) { partner?.flushPartner() }

    func channelInactive(context: ChannelHandlerContext) { partner?.closePartner() }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

    // Both channels share one event loop (the outbound one is made on the inbound's), but a call
    // is still queued so that it never re-enters a pipeline in the middle of its own event.
    private func forward(_ buffer: ByteBuffer) {
        guard let context else { return }
        context.eventLoop.execute { [self] in self.context?.write(NIOAny(buffer), promise: nil) }
    }

    private func flushPartner() {
        guard let context else { return }
        context.eventLoop.execute { [self] in self.context?.flush() }
    }

    private func closePartner() {
        guard let context else { return }
        context.eventLoop.execute { [self] in self.context?.close(promise: nil) }
    }
}
