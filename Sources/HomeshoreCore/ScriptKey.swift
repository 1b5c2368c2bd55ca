/// Which script a text is for: a situation, optionally narrowed to one debtor segment
/// (`first-contact.vip`): a VIP or a new customer the creditor wants to keep is not spoken to like a
/// repeat defaulter.
public struct ScriptKey: Hashable, Sendable, CustomStringConvertible {
    public var situation: Situation
    public var segment: Segment?

    public init(situation: Situation, segment: Segment? = nil) {
        self.situation = situation
        self.segment = segment
    }

    /// `first-contact` or `first-contact.vip`.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let situation = Situation(rawValue: String(parts[0])) else { return nil }
        if parts.count == 2 {
            guard let segment = Segment(rawValue: String(parts[1])) else { return nil }
            self.init(situation: situation, segment: segment)
        } else {
            self.init(situation: situation)
        }
    }

    public var description: String { situation.rawValue + (segment.map { "." + $0.rawValue } ?? "") }
}
