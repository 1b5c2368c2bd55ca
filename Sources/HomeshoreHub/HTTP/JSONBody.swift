import Foundation
import HomeshoreCore
import Hummingbird
import NIOCore

/// Reading and writing JSON bodies: bounded, gzip-aware.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var request = request
        var buffer = try await request.collectBody(upTo: Limits.maxBodyBytes)
        if let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" {
            guard encoding == "gzip" else {
                throw HomeshoreError("unsupported_media_type", "The content encoding \"\(encoding)\" is not supported (use gzip or none).")
            }
            buffer = try Gzip.decompress(buffer)
        }
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw HomeshoreError("unsupported_media_type", "The body must be application/json, not \(contentType).")
        }
        return try WireJSON.decode(type, from: Data(buffer: buffer))
    }

    static func response<T: Encodable>(_ value: T, for request: Request, status: HTTPResponse.Status = .ok) throws -> Response {
        try response(json: ByteBuffer(bytes: try WireJSON.encode(value)), for: request, status: status)
    }

    /// A body already written as JSON (a pull page, see `SyncResponseJSON`).
    static func response(json: ByteBuffer, for request: Request, status: HTTPResponse.Status = .ok) throws -> Response {
        var buffer = json
        var headers: HTTPFields = [.contentType: "application/json"]
        let acceptsGzip = request.headers[.acceptEncoding]?.lowercased().contains("gzip") ?? false
        if acceptsGzip && buffer.readableBytes > 1024 {
            buffer = try Gzip.compress(buffer)
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}
