import Foundation
import HomeshoreClient
import HomeshoreCore
import Testing

/// `serve` logs one line per request (method, path, status, duration) and never a token, a secret or
/// debtor data, whether requests succeed or are refused.
@Test("The hub logs one line per request and no token, secret, debtor data or note")
func hubLogsHoldNoSecrets() async throws {
    let office = try await Office.open("logs")
    let enrollment = try await office.addAgent("alice", name: "Alice Martin")
    let decoded = try TextFormats.decodeEnrollmentToken(enrollment)
    #expect(decoded.url == "https://127.0.0.1:\(office.port)")
    #expect(decoded.fingerprint.count == 64 && decoded.fingerprint.allSatisfy(\.isHexDigit), "fingerprint: \(decoded.fingerprint)")
    #expect(!decoded.secret.isEmpty)
    try await office.clientOK("alice", ["enroll", enrollment, "--device-name", "laptop-alice"])
    try await office.importSample(count: 20, seed: 13)
    try await office.assign(E2E.refs(1...10), to: "alice")
    try await office.clientOK("alice", ["sync"])

    let noteText = "Promet 150 euros vendredi, digicode 4821B, voisine Mme Quéré"
    let newPhone = "+33 7 58 41 26 93"
    try await office.clientOK("alice", ["call", "D-000004", "--outcome", "right-party", "--duration", "3m", "--note", noteText])
    try await office.clientOK("alice", ["contact", "D-000005", "--phone", newPhone])
    let pushed = try await office.clientOK("alice", ["sync"])
    #expect(pushed.contains("2 sent"), "sync output: \(pushed)")

    // A used enrollment token sent again (its secret travels again, and is refused).
    let reused = try await office.client("alice-again", ["enroll", enrollment, "--device-name", "second"])
    #expect(reused.status == 1 && !reused.killedBySignal, "a used token should be refused: \(reused)")

    // A request with a wrong device token.
    let dossiers = try office.replicaContents("alice")
    #expect(dossiers.count == 10)
    let deviceToken = try #require(try office.withReplica("alice") { try $0.meta(.deviceToken) })
    let forgedToken = "forged-" + UUID().uuidString.lowercased()
    try office.withReplica("alice") { try $0.setMeta(.deviceToken, forgedToken) }
    let refused = try await office.client("alice", ["sync"])
    #expect(refused.status == 1 && !refused.killedBySignal, "a sync with a wrong token should exit 1: \(refused)")

    // Everything the hub process wrote, once it has ended.
    let hub = try #require(office.hub)
    let stopped = try await office.stopHub()
    #expect(stopped.succeeded, "\(stopped)")
    let log = hub.child.stdout + hub.child.stderr

    // One line per request, with method, path and status.
    func count(_ needle: String) -> Int { TextFormats.lines(of: log, containing: needle).count }
    #expect(count("POST /v1/enroll 200") == 1, "log:\n\(log)")
    #expect(count("POST /v1/enroll 401") == 1, "log:\n\(log)")
    #expect(count("POST /v1/sync 200") == 2, "log:\n\(log)")
    #expect(count("POST /v1/sync 401") == 1, "log:\n\(log)")
    #expect(count("POST /v1/") == 5, "exactly the 5 requests made, one line each; log:\n\(log)")
    for line in TextFormats.lines(of: log, containing: "POST /v1/") {
        #expect(line.components(separatedBy: "POST /v1/").count == 2, "one request per line: \(line)")
    }

    // Nothing secret or personal.
    var secrets: [(String, String)] = [
        ("the enrollment token", enrollment),
        ("the enrollment secret", decoded.secret),
        ("the device token", deviceToken),
        ("the forged device token", forgedToken),
        ("the note text", noteText),
        ("a fragment of the note", "digicode 4821B"),
        ("the new phone", newPhone),
        ("the new phone's digits", newPhone.filter(\.isNumber)),
        ("an Authorization header", "Bearer "),
    ]
    for change in dossiers {
        let d = change.dossier
        secrets.append(("debtor name of \(d.reference)", d.debtorName))
        for phone in [d.phone, d.phone2].compactMap({ $0 }) where !phone.isEmpty {
            secrets.append(("a phone of \(d.reference)", phone))
            secrets.append(("a phone of \(d.reference), digits only", phone.filter(\.isNumber)))
        }
        if let email = d.email, !email.isEmpty { secrets.append(("the email of \(d.reference)", email)) }
    }
    for (what, value) in secrets where !value.isEmpty {
        #expect(!log.contains(value), "the hub's log contains \(what): \(value)")
    }
}
