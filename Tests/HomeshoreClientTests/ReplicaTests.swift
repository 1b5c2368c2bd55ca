import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

@Suite struct ReplicaTests {
    static let csv = """
        reference,debtor_name,amount_due,currency,due_date,phone,email,city
        R-1,Hélène Lefèvre,120.00,EUR,2026-10-01,+33 6 12 34 56 78,helene@exemple.fr,Besançon
        R-2,François Gaëlle,80.50,EUR,2026-09-15,01 45 45 45 45,,Orléans
        R-3,"Dupont, Martin & Fils",1000,EUR,2026-08-01,,contact@dupont.fr,Paris
        """

    @Test func searchFoldsAccentsAndFindsPhonesEmailsCities() async throws {
        try await LiveHub.run { hub in
            try await hub.importCSV(Self.csv)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(["R-1", "R-2", "R-3"], to: "alice")
            _ = try await alice.sync()
            #expect(try alice.replica.search("helene").map(\.reference) == ["R-1"])
            #expect(try alice.replica.search("LEFEVRE").map(\.reference) == ["R-1"])
            #expect(try alice.replica.search("besancon").map(\.reference) == ["R-1"])
            #expect(try alice.replica.search("orléans").map(\.reference) == ["R-2"])
            #expect(try alice.replica.search("0612").map(\.reference) == ["R-1"])
            #expect(try alice.replica.search("01 45 45").map(\.reference) == ["R-2"])
            #expect(try alice.replica.search("contact@dupont").map(\.reference) == ["R-3"])
            #expect(try alice.replica.search("R-3").map(\.reference) == ["R-3"])
            #expect(try alice.replica.search("\"unbalanced OR").isEmpty)
        }
    }

    @Test func theFolderAndDatabaseArePrivate() async throws {
        try await LiveHub.run { hub in
            let alice = try await hub.enrolledDesk("alice")
            let attributes = try FileManager.default.attributesOfItem(atPath: alice.home.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o700)
            for file in [alice.home.replicaPath, alice.home.replicaPath + "-wal"] where FileManager.default.fileExists(atPath: file) {
                let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(file)")
            }
        }
    }

    @Test func showListsTheWholeHistoryNewestFirstWithPendingWork() async throws {
        try await LiveHub.run { hub in
            try await hub.importCSV(Self.csv)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(["R-1"], to: "alice")
            _ = try await alice.sync()
            let start = Date()
            try alice.call("R-1", outcome: "no-answer", durationSeconds: 0, note: nil, at: nil, now: start)
            _ = try await alice.sync()
            try alice.note("R-1", text: "à rappeler", now: start.addingTimeInterval(10))
            let callbackAt = start.addingTimeInterval(86_400)
            try alice.callback("R-1", at: callbackAt, now: start.addingTimeInterval(20))
            let view = try alice.replica.view(reference: "R-1")
            #expect(view.history.map(\.kind) == ["callback", "note", "call", "assignment"])
            #expect(view.history.map(\.pending) == [true, true, false, false])
            #expect(view.dossier.nextCallback == Timestamp.string(from: callbackAt))
        }
    }

    @Test func commandsRefuseBadInputAndQueueNothing() async throws {
        try await LiveHub.run { hub in
            try await hub.importCSV(Self.csv)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(["R-1"], to: "alice")
            _ = try await alice.sync()
            #expect(throws: HomeshoreError.self) { try alice.call("R-1", outcome: "maybe", durationSeconds: nil, note: nil, at: nil) }
            #expect(throws: HomeshoreError.self) { try alice.call("R-9", outcome: "busy", durationSeconds: nil, note: nil, at: nil) }
            #expect(throws: HomeshoreError.self) { try alice.note("R-1", text: "   ") }
            #expect(throws: HomeshoreError.self) { try alice.note("R-1", text: String(repeating: "é", count: Limits.maxNoteLength + 1)) }
            #expect(throws: HomeshoreError.self) { try alice.contact("R-1", phone: "call me maybe", email: nil, address: nil) }
            #expect(throws: HomeshoreError.self) { try alice.contact("R-1", phone: nil, email: "nobody", address: nil) }
            #expect(throws: HomeshoreError.self) { try alice.callback("R-1", at: Date().addingTimeInterval(-3600)) }
            #expect(try alice.replica.queuedCount().count == 0)
        }
    }
}

@Suite struct OfflineCollectionsTests {
    @Test func aDisputeOrPlanTypedOfflineCountsBeforeTheHubHasIt() async throws {
        try await LiveHub.run { hub in
            try await hub.importCSV(ReplicaTests.csv)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(["R-1", "R-2"], to: "alice")
            _ = try await alice.sync()
            let today = AgencyCalendar.day(of: Date())
            try alice.promise("R-1", amount: "10.00", due: today)
            _ = try await alice.sync()
            #expect(try alice.replica.followUp().map(\.dossier.reference) == ["R-1"])
            try alice.dispute("R-1", reason: "quality", note: nil)
            let second = #expect(throws: HomeshoreError.self) { try alice.dispute("R-1", reason: "amount", note: nil) }
            #expect(second?.code == "already_disputed")
            #expect(try alice.replica.followUp().isEmpty)
            let first = try #require(CalendarDate.adding(days: 3, to: today))
            try alice.plan("R-2", instalments: 2, amount: "10.00", first: first, every: "1m")
            let again = #expect(throws: HomeshoreError.self) { try alice.plan("R-2", instalments: 2, amount: "10.00", first: first, every: "1m") }
            #expect(again?.code == "plan_exists")
            #expect(try alice.replica.queuedCount().count == 2)
        }
    }
}

extension OfflineCollectionsTests {
    @Test func aDisputedDossierLeavesTheChaseListUntilResolved() async throws {
        try await LiveHub.run { hub in
            try await hub.importCSV(ReplicaTests.csv)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(["R-1"], to: "alice")
            _ = try await alice.sync()
            try alice.promise("R-1", amount: "10.00", due: AgencyCalendar.day(of: Date()))
            _ = try await alice.sync()
            #expect(try alice.replica.followUp().map(\.reason) == [.promiseDue])
            try alice.dispute("R-1", reason: "not-received", note: "jamais livré")
            _ = try await alice.sync()
            #expect(try alice.replica.view(reference: "R-1").dossier.status == "disputed")
            #expect(try alice.replica.followUp().isEmpty)
            _ = try await hub.admin.store.resolveDispute(DossierKey(portfolio: nil, reference: "R-1"), outcome: .rejected, amount: nil, now: Date())
            _ = try await alice.sync()
            #expect(try alice.replica.view(reference: "R-1").dossier.status == "promised")
            #expect(try alice.replica.followUp().map(\.reason) == [.promiseDue])
        }
    }
}
