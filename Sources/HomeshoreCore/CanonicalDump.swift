import Foundation

/// One text form of a set of dossiers with their histories, shared by hub and client so that
/// "the replica equals the hub's view" can be checked by comparing two strings.
public enum CanonicalDump {
    public static func text(_ changes: [DossierChange]) throws -> String {
        let sorted = changes.sorted { $0.dossier.id < $1.dossier.id }.map { change in
            DossierChange(dossier: change.dossier, events: change.events.sorted { $0.seq < $1.seq }, whole: true)
        }
        return try WireJSON.pretty(sorted)
    }
}
