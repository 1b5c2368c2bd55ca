import Hummingbird
import HomeshoreCore
import Logging
import NIOCore

public struct HubRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { Limits.maxBodyBytes }

    /// The client's IP for rate limits; test channels without one share a bucket.
    var clientKey: String { remoteAddress?.ipAddress ?? "local" }
}
