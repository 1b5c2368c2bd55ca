import Foundation

/// Durations in portfolio policies (rest after a contact, leases) are typed by supervisors, so they
/// are short text — `48h`, `72h`, `2d`, `90m`, `1d12h` — rather than a number of seconds nobody
/// can read. Units are `d` (24 hours, not a calendar day), `h` and `m`, largest first, each at most
/// once, written without spaces; case and surrounding spaces are ignored. Anything else is refused
/// rather than guessed (`48` could be hours or minutes; `1.5d` and `-2h` are not durations here).
public enum PolicyDuration {
    /// The longest duration accepted: a policy longer than a year is a typo.
    public static let maximum: TimeInterval = 366 * 86_400

    /// Seconds in `text`; throws `invalid_duration` naming the text and the expected form.
    public static func parse(_ text: String) throws -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        func refuse(_ why: String) -> HomeshoreError {
            HomeshoreError("invalid_duration", "Invalid duration \"\(text)\": \(why); write a whole number followed by d, h or m, largest unit first, e.g. 48h, 2d, 90m or 1d12h.")
        }
        guard !trimmed.isEmpty else { throw refuse("it is empty") }
        let units: [(Character, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60)]
        var total = 0
        var nextUnit = 0
        var digits = ""
        for character in trimmed {
            if character.isASCIIDigitCharacter {
                digits.append(character)
                guard digits.count <= 6 else { throw refuse("the number is too long") }
            } else if let index = units.firstIndex(where: { $0.0 == character }) {
                guard !digits.isEmpty, let value = Int(digits) else { throw refuse("\"\(character)\" has no number before it") }
                guard index >= nextUnit else { throw refuse("units must come largest first, each once") }
                total += value * units[index].1
                nextUnit = index + 1
                digits = ""
            } else {
                throw refuse("\"\(character)\" is not a unit")
            }
        }
        guard digits.isEmpty else { throw refuse("the number \(digits) has no unit") }
        guard TimeInterval(total) <= maximum else { throw refuse("it is longer than 366 days") }
        return TimeInterval(total)
    }

    /// Canonical text for a number of seconds, largest units first (`172800` → `2d`, `129600` →
    /// `1d12h`, `0` → `0m`). Rounds down to whole minutes, the smallest unit a policy can name;
    /// a negative duration formats as `0m`.
    public static func format(_ seconds: TimeInterval) -> String {
        var minutes = max(0, Int((seconds / 60).rounded(.down)))
        guard minutes > 0 else { return "0m" }
        var text = ""
        for (unit, size) in [("d", 1_440), ("h", 60), ("m", 1)] where minutes >= size {
            text += String(minutes / size) + unit
            minutes %= size
        }
        return text
    }
}
