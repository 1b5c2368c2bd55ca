import Foundation
@testable import HomeshoreCore
import NIOCore
import Testing

struct GzipTests {
    private let body = ByteBuffer(string: String(repeating: "{\"ops\":[{\"kind\":\"note\",\"text\":\"Débiteur joint\"}]}", count: 200))

    @Test func aWholeBodyInflates() throws {
        let compressed = try Gzip.compress(body)
        #expect(try Gzip.decompress(compressed) == body)
    }

    @Test(arguments: [1, 4, 8, 12])
    func aBodyCutBeforeItsTrailerIsRefused(cut: Int) throws {
        var compressed = try Gzip.compress(body)
        compressed.moveWriterIndex(to: compressed.writerIndex - cut)
        let error = #expect(throws: HomeshoreError.self) { try Gzip.decompress(compressed) }
        #expect(error?.code == "invalid_gzip")
    }

    @Test func aTrailerThatDoesNotMatchIsRefused() throws {
        var compressed = try Gzip.compress(body)
        let at = compressed.writerIndex - 3
        compressed.setInteger(compressed.getInteger(at: at, as: UInt8.self)! ^ 0xFF, at: at)
        #expect(throws: HomeshoreError.self) { try Gzip.decompress(compressed) }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
