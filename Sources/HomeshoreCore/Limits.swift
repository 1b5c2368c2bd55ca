import Foundation

/// Bounds on every input (DESIGN §5.6). The hub enforces them; the client checks them first so
/// that an agent hears about a problem when typing, not at the next sync.
public enum Limits {
    public static let maxBodyBytes = 8 * 1024 * 1024
    public static let maxOpsPerBatch = 500
    public static let maxNoteLength = 4000
    public static let maxFieldLength = 300
    public static let maxCallSeconds = 4 * 3600
    public static let maxWrapUpSeconds = 3600
    public static let pageDossiers = 200
    /// How far ahead of the hub's clock a laptop's clock may run: clock stamps beyond it are clamped
    /// to it, ops recorded beyond it are refused (DESIGN §4.9).
    public static let maxClockSkewSeconds: TimeInterval = 12 * 3600
}
