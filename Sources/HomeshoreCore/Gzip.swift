import CompressNIO
import NIOCore

/// Sync bodies are gzip-compressed when both sides accept it; inflating is bounded so that a small
/// compressed body cannot expand past the body limit.
public enum Gzip {
    public static func compress(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var input = buffer
        return try input.compress(with: .gzip(configuration: configuration))
    }

    /// Level 8, not zlib's default 6: on a first-sync page (200 dossiers, 2,000 events) it writes
    /// about 4 % fewer bytes for under twice the deflate time (a few milliseconds a page), which
    /// brings a 5,000-dossier first sync under its 3 MB (DESIGN §10). Level 9 saves almost nothing more.
    static let configuration = ZlibConfiguration(compressionLevel: .compressionLevel8)

    public static func decompress(_ buffer: ByteBuffer, maxSize: Int = Limits.maxBodyBytes) throws -> ByteBuffer {
        var input = buffer
        let tooLarge = HomeshoreError("body_too_large", "The body is larger than \(maxSize / 1024 / 1024) MiB once decompressed.")
        do {
            // Inflating stops at the cap without an error, so ask for one byte more to tell "exactly at" from "past".
            let output = try input.decompress(with: .gzip(), maxSize: maxSize + 1)
            guard output.readableBytes <= maxSize else { throw tooLarge }
            // The inflater stops quietly when the input ends mid-stream, so a body cut before its
            // trailer would pass for a shorter one: the trailer's CRC-32 and length must match.
            guard trailerMatches(buffer, output: output) else { throw invalid }
            return output
        } catch let error as HomeshoreError {
            throw error
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw tooLarge
        } catch {
            throw invalid
        }
    }

    private static let invalid = HomeshoreError("invalid_gzip", "The body is not valid gzip data (corrupt, or cut before its end).")

    /// RFC 1952: a member ends with the CRC-32 of the data, then its length mod 2^32, both little-endian.
    static func trailerMatches(_ compressed: ByteBuffer, output: ByteBuffer) -> Bool {
        guard compressed.readableBytes >= 18,
              let crc = compressed.getInteger(at: compressed.writerIndex - 8, endianness: .little, as: UInt32.self),
              let size = compressed.getInteger(at: compressed.writerIndex - 4, endianness: .little, as: UInt32.self)
        else { return false }
        return size == UInt32(truncatingIfNeeded: output.readableBytes) && crc == CRC32.checksum(output.readableBytesView)
    }
}
