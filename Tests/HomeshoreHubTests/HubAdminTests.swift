import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import Testing

@Suite struct HubAdminTests {
    func tempDir() -> HubDataDir {
        HubDataDir(FileManager.default.temporaryDirectory.appendingPathComponent("admin-\(UUID().uuidString)").path)
    }

    @Test func initCreatesAPrivateHubAndRefusesToRunTwice() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir.path) }
        let config = try HubInitializer.initialise(dir, publicURL: "https://hub.agence.fr:9443", hostnames: ["10.0.0.5"])
        #expect(config.caFingerprint == (try HubPKI.fingerprint(ofPEM: String(contentsOfFile: dir.caCertificate, encoding: .utf8))))
        #expect(config.hostnames == ["hub.agence.fr", "10.0.0.5"])
        let admin = try HubAdmin(dir: dir)
        #expect(FileManager.default.fileExists(atPath: dir.database + "-wal"))
        for file in [dir.caKey, dir.serverKey, dir.config, dir.database, dir.database + "-wal", dir.database + "-shm"] {
            #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600, "\(file)")
        }
        withExtendedLifetime(admin) {}
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.caCertificate))
        let error = #expect(throws: HomeshoreError.self) { _ = try HubInitializer.initialise(dir, publicURL: nil, hostnames: []) }
        #expect(error?.code == "already_initialised")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.caCertificate)) == before)
        #expect(try dir.loadConfig() == config)
    }

    @Test func initRefusesANonHTTPSURL() {
        let dir = tempDir()
        #expect(throws: HomeshoreError.self) { _ = try HubInitializer.initialise(dir, publicURL: "http://hub", hostnames: []) }
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }

    @Test func agentTokensCarryTheHubURLAndCAFingerprint() async throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir.path) }
        let config = try HubInitializer.initialise(dir, publicURL: "https://localhost:9443", hostnames: [])
        let admin = try HubAdmin(dir: dir)
        let text = try await admin.addAgent(NewAgent(login: "alice", name: "Alice Martin", languages: ["fr", "en"], portfolios: ["P1"], capacity: 30))
        let token = try EnrollmentToken(decoding: text)
        #expect(token.url == "https://localhost:9443")
        #expect(token.fingerprint == config.caFingerprint)
        let agent = try #require(try await admin.store.agent(login: "alice"))
        #expect(agent.languages == ["fr", "en"] && agent.portfolios == ["P1"] && agent.capacity == 30)
        await #expect(throws: HomeshoreError.self) { _ = try await admin.addAgent(NewAgent(login: "alice", name: "Again")) }
        await #expect(throws: HomeshoreError.self) { _ = try await admin.addAgent(NewAgent(login: "Bad Login", name: "X")) }
        await #expect(throws: HomeshoreError.self) { _ = try await admin.enrollmentToken(login: "nobody") }
    }

    @Test func importIsAllOrNothingAndReimportUpdatesWithoutDuplicating() async throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir.path) }
        _ = try HubInitializer.initialise(dir, publicURL: nil, hostnames: [])
        let admin = try HubAdmin(dir: dir)
        let file = dir.path + "/p.csv"
        try """
            reference,debtor_name,amount_due,currency,due_date,phone
            A-1,Jean Dupré,100.00,EUR,2026-10-01,0601020304
            A-2,Anne Brûlé,50,EUR,2026-10-02,
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let (first, _) = try await admin.importDossiers(file: file, portfolio: "ACME")
        #expect(first == ImportSummary(created: 2, updated: 0, unchanged: 0))

        try """
            reference,debtor_name,amount_due,currency,due_date,phone
            A-1,Jean Dupré,120.00,EUR,2026-10-01,0699999999
            A-3,Nouveau,10,EUR,2026-13-01,
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let error = await #expect(throws: HomeshoreError.self) { _ = try await admin.importDossiers(file: file, portfolio: "ACME") }
        #expect(error?.message.contains("line 3") == true)
        #expect(try await admin.store.dossier(DossierKey(portfolio: "ACME", reference: "A-1")).dossier.amountDue == 10000)

        try """
            debtor_name,reference,currency,amount_due,due_date,phone
            Jean Dupré,A-1,EUR,120.00,2026-10-01,0699999999
            Anne Brûlé,A-2,EUR,50,2026-10-02,
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let (second, _) = try await admin.importDossiers(file: file, portfolio: "ACME")
        #expect(second == ImportSummary(created: 0, updated: 1, unchanged: 1))
        let a1 = try await admin.store.dossier(DossierKey(portfolio: "ACME", reference: "A-1")).dossier
        #expect(a1.amountDue == 12000 && a1.balance == 12000 && a1.phone == "0699999999")
    }

    @Test func anAgentsContactEditSurvivesAReimport() async throws {
        let hub = try HubFixture()
        let csv = "reference,debtor_name,amount_due,currency,due_date,phone\nA-1,Jean,100,EUR,2026-10-01,0601020304\n"
        _ = try await hub.store.importDossiers(portfolio: "P", rows: try DossierCSV.parse(string: csv).rows, now: Date(), progress: nil)
        let token = try await hub.deviceHolding(["A-1"], for: "alice")
        let auth = try #require(try await hub.store.authenticate(tokenHash: Secrets.hash(token)))
        var ops = OpFactory()
        let id = try await hub.dossierId("A-1")
        _ = try await hub.store.push([ops.make("contact", dossier: id, payload: OpPayload(phone: "0711111111"))], from: auth, queued: 0, oldestQueuedAt: nil, now: Date())
        let changed = csv.replacingOccurrences(of: "100,", with: "150,")
        _ = try await hub.store.importDossiers(portfolio: "P", rows: try DossierCSV.parse(string: changed).rows, now: Date(), progress: nil)
        let dossier = try await hub.store.dossier(DossierKey(portfolio: "P", reference: "A-1")).dossier
        #expect(dossier.phone == "0711111111")
        #expect(dossier.amountDue == 15000)
    }
}
