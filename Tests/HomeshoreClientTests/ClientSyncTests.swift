import Foundation
import HomeshoreClient
import HomeshoreCore
import HomeshoreHub
import Testing

/// The client's sync engine against a real hub over real TLS (DESIGN §4).
@Suite struct ClientSyncTests {
    @Test func aLostAnswerLeadsToADuplicateOnResendAndNoSecondEffect() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 3)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(LiveHub.refs(1...3), to: "alice")
            _ = try await alice.sync()
            for n in 1...3 { try alice.note("D-00000\(n)", text: "note \(n)") }

            let client = try alice.transport()
            await #expect(throws: HomeshoreError.self) {
                _ = try await SyncEngine(replica: alice.replica, transport: LosingTransport(inner: client)).run()
            }
            #expect(try alice.replica.queuedCount().count == 3)
            #expect(try await hub.admin.store.eventCount(kind: "note") == 3)

            let recording = RecordingTransport(client)
            _ = try await SyncEngine(replica: alice.replica, transport: recording).run()
            await client.shutdown()
            #expect(recording.answers.first?.results.map(\.status) == [.duplicate, .duplicate, .duplicate])
            #expect(try alice.replica.queuedCount().count == 0)
            #expect(try await hub.admin.store.eventCount(kind: "note") == 3)
            #expect(try await hub.canonicalScope("alice") == alice.replica.canonicalDump())
        }
    }

    @Test func replicasConvergeWithTheHubsViewThroughReassignments() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 40)
            let alice = try await hub.enrolledDesk("alice")
            let bob = try await hub.enrolledDesk("bob")
            try await hub.assign(LiveHub.refs(1...20), to: "alice")
            try await hub.assign(LiveHub.refs(21...35), to: "bob")
            _ = try await alice.sync()
            _ = try await bob.sync()
            for n in 1...10 { try alice.call(String(format: "D-%06d", n), outcome: "no-answer", durationSeconds: 5, note: nil, at: nil) }
            for n in 21...25 { try bob.note(String(format: "D-%06d", n), text: "vu") }
            try alice.contact("D-000002", phone: "06 11 22 33 44", email: nil, address: "3 rue Neuve, Lyon")
            _ = try await alice.sync()
            _ = try await bob.sync()
            try await hub.assign(LiveHub.refs(1...5), to: "bob")
            try await hub.assign(LiveHub.refs(21...22), to: "alice")
            try await hub.assign(["D-000030"], to: nil)
            try await hub.importSample(count: 40)
            _ = try await alice.sync()
            _ = try await bob.sync()

            #expect(try alice.replica.dossierCount() == 17)
            #expect(try bob.replica.dossierCount() == 17)
            #expect(try await hub.canonicalScope("alice") == alice.replica.canonicalDump())
            #expect(try await hub.canonicalScope("bob") == bob.replica.canonicalDump())
            // The history followed D-000001 to bob.
            let view = try bob.replica.view(reference: "D-000001")
            #expect(view.history.contains { $0.kind == "call" && $0.agent == "alice" })
            #expect(throws: HomeshoreError.self) { try alice.replica.view(reference: "D-000001") }
        }
    }

    @Test func anUpToDateSyncIsOneRequestThatReceivesNothing() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 30)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(LiveHub.refs(1...30), to: "alice")
            let first = try await alice.sync()
            #expect(first.received == 30)
            let second = try await alice.sync()
            #expect(second.requests == 1)
            #expect(second.received == 0 && second.removed == 0)
        }
    }

    @Test func aRejectedOpIsListedAndTheQueueGoesOn() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 1)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(["D-000001"], to: "alice")
            _ = try await alice.sync()
            try alice.note("D-000001", text: "avant")
            // As if the dossier had been deleted on the hub after the laptop queued this.
            try alice.replica.record(kind: .note, dossierId: UUID().uuidString.lowercased(), payload: OpPayload(text: "perdu"))
            try alice.note("D-000001", text: "après")
            let summary = try await alice.sync()
            #expect(summary.rejected == 1)
            #expect(summary.sent == 2)
            let status = try alice.status()
            #expect(status.queued == 0)
            #expect(status.rejected.count == 1)
            #expect(status.rejected.first?.code == "unknown_dossier")
            #expect(try await hub.admin.store.eventCount(kind: "note") == 2)
        }
    }

    @Test func twoDevicesEditingOneFieldOfflineMergeByClockNotBySyncOrder() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 1)
            let laptop = try await hub.enrolledDesk("alice", device: "laptop")
            let desktop = try await hub.enrolledDesk("alice", device: "desktop")
            try await hub.assign(["D-000001"], to: "alice")
            _ = try await laptop.sync()
            _ = try await desktop.sync()
            let now = Date()
            // The desktop's edit is the later one, but the laptop syncs last.
            try desktop.contact("D-000001", phone: "01 23 45 67 89", email: nil, address: nil, now: now.addingTimeInterval(120))
            try laptop.contact("D-000001", phone: "06 66 66 66 66", email: "neuf@exemple.fr", address: nil, now: now)
            _ = try await desktop.sync()
            _ = try await laptop.sync()
            _ = try await desktop.sync()
            let hubView = try await hub.admin.store.dossier(DossierKey(portfolio: nil, reference: "D-000001")).dossier
            #expect(hubView.phone == "01 23 45 67 89")
            #expect(hubView.email == "neuf@exemple.fr")
            #expect(try laptop.replica.view(reference: "D-000001").dossier.phone == "01 23 45 67 89")
            #expect(try laptop.replica.canonicalDump() == desktop.replica.canonicalDump())
            #expect(try await hub.canonicalScope("alice") == laptop.replica.canonicalDump())
        }
    }

    @Test func anUnreachableHubLeavesEverythingQueued() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 1)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(["D-000001"], to: "alice")
            _ = try await alice.sync()
            await hub.stop()
            try alice.call("D-000001", outcome: "voicemail", durationSeconds: 20, note: "message laissé", at: nil)
            let error = await #expect(throws: HomeshoreError.self) { _ = try await alice.sync() }
            #expect(error?.code == "hub_unreachable")
            #expect(try alice.replica.queuedCount().count == 1)
            // Shown at once in the dossier's history, marked as not yet sent.
            #expect(try alice.replica.view(reference: "D-000001").history.first?.pending == true)
            try await hub.start()
            _ = try await alice.sync()
            #expect(try alice.replica.queuedCount().count == 0)
            #expect(try await hub.admin.store.eventCount(kind: "call") == 1)
        }
    }

    @Test func aRevokedDeviceIsRefusedAndWipesItself() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 5)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(LiveHub.refs(1...5), to: "alice")
            _ = try await alice.sync()
            #expect(try alice.replica.dossierCount() == 5)
            try await hub.admin.store.setStatus(login: "alice", to: .revoked, now: Date())
            let error = await #expect(throws: HomeshoreError.self) { _ = try await alice.sync() }
            #expect(error?.code == "device_revoked")
            #expect(try alice.replica.dossierCount() == 0)
            #expect(!alice.isEnrolled)
        }
    }

    @Test func aRetiredDevicePushesWhatItHoldsThenWipes() async throws {
        try await LiveHub.run { hub in
            try await hub.importSample(count: 2)
            let alice = try await hub.enrolledDesk("alice")
            try await hub.assign(LiveHub.refs(1...2), to: "alice")
            _ = try await alice.sync()
            try alice.note("D-000001", text: "dernière note")
            try alice.call("D-000002", outcome: "right-party", durationSeconds: 90, note: nil, at: nil)
            try await hub.admin.store.setStatus(login: "alice", to: .retired, now: Date())
            let summary = try await alice.sync()
            #expect(summary.wiped)
            #expect(try alice.replica.dossierCount() == 0)
            #expect(!alice.isEnrolled)
            #expect(try await hub.admin.store.eventCount(kind: "note") == 1)
            #expect(try await hub.admin.store.eventCount(kind: "call") == 1)
        }
    }

    @Test func aHubWithAnotherCertificateIsRefused() async throws {
        try await LiveHub.run { hub in
            try await LiveHub.run { impostor in
                let alice = try await hub.enrolledDesk("alice")
                // Same laptop, pointed at a hub whose CA it never pinned.
                try alice.replica.setMeta(.hubURL, "https://localhost:\(impostor.port)")
                let error = await #expect(throws: HomeshoreError.self) { _ = try await alice.sync() }
                #expect(error?.code == "tls_failed")
            }
        }
    }
}
