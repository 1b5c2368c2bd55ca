import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

@Suite struct SegmentScriptTests {
    @Test func aSegmentVariantIsReadToThatSegmentOnly() async throws {
        try await LiveHub.run { hub in
            try await hub.importCSV("""
                reference,debtor_name,amount_due,currency,due_date,vip,prior_incidents
                VIP-1,Client Fidèle,500.00,EUR,2026-10-01,oui,0
                STD-1,Client Ordinaire,500.00,EUR,2026-10-01,non,0
                REP-1,Client Récidiviste,500.00,EUR,2026-10-01,non,3
                """)
            let folder = hub.folder.appendingPathComponent("scripts")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "Bonjour {{debtor_name}}, il reste {{balance}}.".write(to: folder.appendingPathComponent("first-contact.md"), atomically: true, encoding: .utf8)
            try "Cher {{debtor_name}}, merci de votre fidélité.".write(to: folder.appendingPathComponent("first-contact.vip.md"), atomically: true, encoding: .utf8)
            let loaded = try await hub.admin.loadScripts(directory: folder.path, portfolio: "P")
            #expect(loaded.map(\.description) == ["first-contact", "first-contact.vip"])
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(["VIP-1", "STD-1", "REP-1"], to: "alice")
            _ = try await alice.sync()
            let vip = try alice.replica.view(reference: "VIP-1").dossier
            #expect(vip.segment == "vip")
            #expect(try alice.replica.view(reference: "REP-1").dossier.segment == "repeat-defaulter")
            #expect(try alice.replica.script(for: vip) == "Cher Client Fidèle, merci de votre fidélité.")
            let standard = try alice.replica.view(reference: "STD-1").dossier
            #expect(try alice.replica.script(for: standard) == "Bonjour Client Ordinaire, il reste 500.00 EUR.")
            try "x".write(to: folder.appendingPathComponent("first-contact.gold.md"), atomically: true, encoding: .utf8)
            await #expect(throws: HomeshoreError.self) { _ = try await hub.admin.loadScripts(directory: folder.path, portfolio: "P") }
        }
    }
}
