import Foundation
import HomeshoreCore
import HomeshoreHub
import Testing

@Suite struct ScriptSetTests {
    @Test func loadsTheScriptsAndIgnoresOtherFiles() throws {
        try withScripts([
            "first-contact.md": "Bonjour {{ debtor_name }}, solde {{balance}}.\n",
            "broken-promise.md": "\u{FEFF}Votre promesse du {{last_promise}} n'a pas été tenue.",
            "README.txt": "{{ not a script }}",
            ".first-contact.md.swp": "x",
        ]) { directory in
            try FileManager.default.createDirectory(atPath: directory + "/inbound.md", withIntermediateDirectories: false)
            let scripts = try ScriptSet.load(directory: directory)
            #expect(scripts == [
                .firstContact: "Bonjour {{ debtor_name }}, solde {{balance}}.\n",
                .brokenPromise: "Votre promesse du {{last_promise}} n'a pas été tenue.",
            ])
        }
    }

    @Test func anUnknownSituationIsRefusedByName() throws {
        try withScripts(["first-contact.md": "Bonjour", "goodbye.md": "Au revoir"]) { directory in
            let error = try #require(throws: HomeshoreError.self) { try ScriptSet.load(directory: directory) }
            #expect(error.code == "unknown_situation")
            #expect(error.message.hasPrefix("goodbye.md does not name a situation"))
            #expect(error.message.contains("first-contact, broken-promise, plan-follow-up, dispute-follow-up, inbound"))
        }
    }

    @Test func everyFileProblemIsListed() throws {
        try withScripts([
            "first-contact.md": "Bonjour {{nom}}\n{{balance",
            "inbound.md": " \n\t\n",
            "plan-follow-up.md": String(repeating: "é", count: 20_001),
        ]) { directory in
            try Data([0x42, 0x6F, 0x6E, 0xE9]).write(to: URL(fileURLWithPath: directory + "/dispute-follow-up.md"))
            let error = try #require(throws: HomeshoreError.self) { try ScriptSet.load(directory: directory) }
            #expect(error.code == "invalid_script")
            #expect(error.message.split(separator: "\n") == [
                "dispute-follow-up.md: is not UTF-8 text; save it as UTF-8",
                "first-contact.md line 1, column 9: unknown placeholder {{nom}}; use one of debtor_name, balance, last_promise, letter_ref, letter_date",
                #"first-contact.md line 2, column 1: "{{" is not closed by "}}" on the same line"#,
                "inbound.md: is empty; write the script or remove the file",
                "plan-follow-up.md: is 20001 characters long; a script is at most 20000",
            ])
        }
    }

    @Test func anEmptyScriptIsRefused() throws {
        try withScripts(["inbound.md": ""]) { directory in
            let error = try #require(throws: HomeshoreError.self) { try ScriptSet.load(directory: directory) }
            #expect(error == HomeshoreError("invalid_script", "inbound.md: is empty; write the script or remove the file"))
        }
    }

    @Test func aFolderWithoutScriptsIsRefused() throws {
        try withScripts(["README.txt": "notes"]) { directory in
            let error = try #require(throws: HomeshoreError.self) { try ScriptSet.load(directory: directory) }
            #expect(error.code == "scripts_not_found")
            #expect(error.message.contains("has no .md script"))
        }
        let missing = try #require(throws: HomeshoreError.self) { try ScriptSet.load(directory: "/nonexistent/scripts") }
        #expect(missing.code == "scripts_not_found")
        #expect(missing.message.contains("/nonexistent/scripts"))
    }
}

/// Writes `files` into a fresh temporary folder, hands its path to `body`, then deletes it.
private func withScripts(_ files: [String: String], _ body: (String) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homeshore-scripts-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, text) in files {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }
    try body(directory.path)
}
