import Foundation
import HomeshoreCore

/// Writes creditors' timeline documents to files: one dossier, or every dossier of a portfolio as
/// `REF.html` in a folder (what `homeshore-hub report timeline` does).
public struct DossierTimelineExport: Sendable {
    public let store: any HubStore

    public init(store: any HubStore) {
        self.store = store
    }

    /// The document of the dossier `key` names (`unknown_dossier`, `ambiguous_reference` as the store says).
    public func document(_ key: DossierKey, now: Date) async throws -> (change: DossierChange, html: String) {
        let change = try await store.dossier(key)
        return (change, DossierTimelineDocument.html(for: change, now: now))
    }

    /// Every dossier of `portfolio`, one file each in `folder` (created if missing; files of the
    /// same names are replaced). `progress(done, total)` follows along. Returns the file names, in
    /// the portfolio's order.
    public func writeAll(portfolio: String, to folder: String, now: Date,
                         progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) async throws -> [String] {
        let rows = try await store.dossierExport(portfolio: portfolio)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw HomeshoreError("cannot_write", "Cannot create the folder \(folder): \(error.localizedDescription)")
        }
        var names = FileNames()
        var written: [String] = []
        for (index, row) in rows.enumerated() {
            let (_, html) = try await document(DossierKey(portfolio: portfolio, reference: row.reference), now: now)
            let name = names.claim(for: row.reference)
            try Self.write(html, to: (folder as NSString).appendingPathComponent(name))
            written.append(name)
            progress(index + 1, rows.count)
        }
        return written
    }

    /// Writes the whole file or nothing (a half-written timeline must not reach a creditor).
    public static func write(_ html: String, to path: String) throws {
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw HomeshoreError("cannot_write", "Cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// `REF.html` with only letters, digits, `-`, `_` and `.` of ASCII (the rest as `_`), never
    /// hidden or a path, at most 120 characters before the extension.
    public static func fileName(for reference: String) -> String {
        var name = String(String.UnicodeScalarView(reference.unicodeScalars.map { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar)) ? scalar : "_"
        }).prefix(120))
        if name.isEmpty || name.hasPrefix(".") { name = "_" + name }
        return name + ".html"
    }

    /// Two references may read the same once made safe (`A/1`, `A_1`), or differ only by case on a
    /// case-blind disk: later ones get `-2`, `-3`… rather than overwrite.
    struct FileNames {
        private var taken: Set<String> = []

        mutating func claim(for reference: String) -> String {
            let name = DossierTimelineExport.fileName(for: reference)
            let stem = String(name.dropLast(".html".count))
            var candidate = name, suffix = 1
            while taken.contains(candidate.lowercased()) {
                suffix += 1
                candidate = "\(stem)-\(suffix).html"
            }
            taken.insert(candidate.lowercased())
            return candidate
        }
    }
}
