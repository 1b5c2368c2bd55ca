import Foundation
import HomeshoreCore

/// A portfolio's call scripts: a folder with one Markdown file per situation (`first-contact.md`…).
/// Everything is checked before anything is returned, and every problem in every file is listed,
/// so an agency fixes its folder in one go rather than one error per attempt.
public enum ScriptSet {
    /// Generous for a script read aloud; keeps a pasted document out of every agent's device.
    static let maxCharacters = 20_000

    /// Reads every `*.md` file of `directory` (not its sub-folders); other files, and hidden ones such as
    /// editor backups or macOS `._` files, are ignored.
    public static func load(directory: String) throws -> [Situation: String] {
        var scripts: [Situation: String] = [:]
        for (key, text) in try loadAll(directory: directory) where key.segment == nil { scripts[key.situation] = text }
        return scripts
    }

    /// Every script of the folder, including segment variants: `first-contact.vip.md` is read to a
    /// VIP debtor instead of `first-contact.md` (segments: vip, new-customer, repeat-defaulter, standard).
    public static func loadAll(directory: String) throws -> [ScriptKey: String] {
        let files = try markdownFiles(in: directory)
        let known = Situation.allCases.map(\.rawValue).joined(separator: ", ")
        let unknown = files.filter { ScriptKey(situationName(of: $0)) == nil }
        guard unknown.isEmpty else {
            let names = unknown.joined(separator: ", ")
            throw HomeshoreError("unknown_situation", "\(names) \(unknown.count == 1 ? "does" : "do") not name a situation; "
                                 + "name each script after one of: \(known) (e.g. first-contact.md, or first-contact.vip.md for one segment).")
        }
        var scripts: [ScriptKey: String] = [:]
        var problems: [String] = []
        var seen = Set<ScriptKey>()
        for file in files {
            let situation = ScriptKey(situationName(of: file))!
            // Only names differing in the extension's case (inbound.md, inbound.MD) can collide.
            guard seen.insert(situation).inserted else {
                problems.append("\(file): \(situation.description) already has a script in another file; keep one")
                continue
            }
            do {
                let text = try script(at: (directory as NSString).appendingPathComponent(file))
                for problem in ScriptTemplate.problems(in: text) {
                    problems.append("\(file) line \(problem.line), column \(problem.column): \(problem.message)")
                }
                scripts[situation] = text
            } catch let problem as ScriptFileProblem {
                problems.append("\(file): \(problem.message)")
            }
        }
        guard problems.isEmpty else { throw HomeshoreError("invalid_script", problems.joined(separator: "\n")) }
        return scripts
    }

    /// Names of the Markdown files, sorted so problems come in a stable order.
    private static func markdownFiles(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HomeshoreError("scripts_not_found", "There is no folder at \(directory); give the folder holding the scripts.")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw HomeshoreError("scripts_not_found", "The folder \(directory) cannot be read (check its permissions).")
        }
        let files = names.filter { name in
            guard !name.hasPrefix("."), name.lowercased().hasSuffix(".md") else { return false }
            var isFolder: ObjCBool = false
            let path = (directory as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
        guard !files.isEmpty else {
            throw HomeshoreError("scripts_not_found", "The folder \(directory) has no .md script; write one file per situation: "
                                 + Situation.allCases.map { "\($0.rawValue).md" }.joined(separator: ", ") + ".")
        }
        return files
    }

    private static func situationName(of file: String) -> String { String(file.dropLast(3)) }

    private struct ScriptFileProblem: Error { let message: String }

    private static func script(at path: String) throws -> String {
        // Anything over a megabyte is far past the limit whatever its characters; don't read it all.
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= 1_000_000 else {
            throw ScriptFileProblem(message: "is \(size) bytes long; a script is at most \(maxCharacters) characters")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptFileProblem(message: "cannot be read (check its permissions)")
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            throw ScriptFileProblem(message: "is UTF-16 text, not UTF-8; save it as UTF-8")
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            throw ScriptFileProblem(message: "is not UTF-8 text; save it as UTF-8")
        }
        // Windows editors start UTF-8 files with a byte order mark; it is not part of the script.
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw ScriptFileProblem(message: "is empty; write the script or remove the file")
        }
        guard text.count <= maxCharacters else {
            throw ScriptFileProblem(message: "is \(text.count) characters long; a script is at most \(maxCharacters)")
        }
        return text
    }
}
