/// How far a payments import has gone, for its progress line: the payments are all recorded first,
/// then the dossiers they pay into are settled (settling part of a file would break promises the
/// rest of it keeps).
public enum PaymentImportProgress: Sendable, Equatable {
    case recorded(Int, of: Int)
    case settled(Int, of: Int)
}
