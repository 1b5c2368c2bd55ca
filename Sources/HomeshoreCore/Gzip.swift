import CompressNIO
import NIOCore

/// Sync bodies are gzip-compressed when both sides accept it; inflating is bounded so that a small
/// compressed body cannot expand past the body limit.
public enum Gzip {
    public static func compress(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var input = buffer
        return try input.compress(with: .gzip())
    }

    public static func decompress(_ buffer: ByteBuffer, maxSize: Int = Limits.maxBodyBytes) throws -> ByteBuffer {
        var input = buffer
        let tooLarge = HomeshoreError("body_too_large", "The body is larger than \(maxSize / 1024 / 1024) MiB once decompressed.")
        do {
            // Inflating stops at the cap without an error, so ask for one byte more to tell "exactly at" from "past".
            let output = try input.decompress(with: .gzip(), maxSize: maxSize + 1)
            guard output.readableBytes <= maxSize else { throw tooLarge }
            return output
        } catch let error as HomeshoreError {
            throw error
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw tooLarge
        } catch {
            throw HomeshoreError("invalid_gzip", "The body is not valid gzip data.")
        }
    }
}
