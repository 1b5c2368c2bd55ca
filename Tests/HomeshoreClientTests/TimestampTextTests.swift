import Foundation
import HomeshoreCore
import Testing

/// `Timestamp.string` writes its digits itself rather than through `String(format:)` (issue 10): the
/// text must stay byte for byte what the format wrote, since hub and client compare stored instants.
@Suite("Timestamp text")
struct TimestampTextTests {
    static func formatted(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        var tm = tm()
        var time = time_t(seconds)
        gmtime_r(&time, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday),
                      Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), Int(millis - seconds * 1000))
    }

    @Test("the same text as the printf format, from year 0 to 9999, before 1970 and at every boundary")
    func sameTextAsTheFormat() {
        var samples: [Int64] = [0, 1, -1, 999, -999, 1000, -1000, 1_796_225_212_349, 253_402_300_799_999, -62_167_219_200_000,
                                951_782_400_000, 4_107_542_399_999, 1_704_067_199_999, 1_704_067_200_000]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            samples.append(Int64(bitPattern: state >> 1) % 253_402_300_800_000 - 62_167_219_200_000 / 2)
        }
        for millis in samples {
            #expect(Timestamp.string(millis: millis) == Self.formatted(millis: millis), "at \(millis) ms")
        }
    }

    @Test("years outside 0…9999 keep the format's own text")
    func yearsBeyondFourDigits() {
        for millis: Int64 in [253_402_300_800_000, 300_000_000_000_000, -62_167_219_200_001, -70_000_000_000_000] {
            #expect(Timestamp.string(millis: millis) == Self.formatted(millis: millis), "at \(millis) ms")
        }
    }
}
