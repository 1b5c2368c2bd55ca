import Foundation
import HomeshoreCore
@testable import HomeshoreHub
import HTTPTypes
import HummingbirdTesting
import Hummingbird
import NIOCore
import Testing

/// Dashboard accounts for router tests: passwords at bcrypt's lowest cost (4), since the hub checks
/// whatever cost a hash carries and the test machine is slow.
extension HubFixture {
    static let password = "correct horse battery"
    static let cheap = PasswordHasher(cost: 4)

    /// A supervisor or admin (or agent, to prove refusals) with a dashboard password.
    func account(_ login: String, role: Role = .supervisor, team: String? = nil, password: String = HubFixture.password) async throws {
        if try await store.agent(login: login) == nil {
            _ = try await store.createAgent(NewAgent(login: login, name: login.capitalized, role: role, team: team), now: clock)
        }
        try await store.setPasswordHash(login: login, hash: await Self.cheap.hash(password))
    }

    /// A session opened straight in the store, as the `Cookie` header a browser would send.
    func sessionCookie(for login: String) async throws -> String {
        let token = Secrets.randomToken()
        try await store.createSession(tokenHash: Secrets.hash(token), login: login, expiresAt: clock.addingTimeInterval(3_600), now: clock)
        return "\(SupervisorAuth.cookieName)=\(token)"
    }
}

extension TestClientProtocol {
    func get(_ uri: String, cookie: String? = nil, bearer: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        return try await executeRequest(uri: uri, method: .get, headers: headers, body: nil)
    }

    /// Posts the dashboard's log-in form.
    func logIn(_ login: String, password: String, next: String = "/", headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var form = URLComponents()
        form.queryItems = [URLQueryItem(name: "login", value: login), URLQueryItem(name: "password", value: password),
                           URLQueryItem(name: "next", value: next)]
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        headers.append(contentsOf: extra)
        return try await executeRequest(uri: "/login", method: .post, headers: headers,
                                        body: ByteBuffer(string: form.percentEncodedQuery ?? ""))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// `hs_session=…` from the answer's `Set-Cookie`, ready for a `Cookie` header.
    var sessionCookie: String? {
        headers[values: .setCookie].first { $0.hasPrefix(SupervisorAuth.cookieName + "=") }?
            .split(separator: ";").first.map(String.init)
    }
}

/// A hub with claims A-1…A-3 of portfolio P held by alice (clock 2027-01-10 10:00 UTC), for pages.
struct DashboardHub {
    let hub: CollectionsHub

    var fixture: HubFixture { hub.fixture }
    var store: SQLiteHubStore { hub.store }
    var token: String { hub.token }
    var ids: [String: String] { hub.ids }
    var clock: Date {
        get { hub.clock }
        nonmutating set { hub.clock = newValue }
    }

    static func make(debtor: String? = nil) async throws -> DashboardHub {
        let hub = try await CollectionsHub.make(claims: [("A-1", "500.00"), ("A-2", "300.00"), ("A-3", "120.00")])
        if let debtor {
            let csv = "reference,debtor_name,amount_due,currency,due_date\nA-1,\"\(debtor.replacingOccurrences(of: "\"", with: "\"\""))\",500.00,EUR,2026-10-01\n"
            _ = try await hub.store.importDossiers(portfolio: "P", rows: try DossierCSV.parse(string: csv).rows, now: hub.clock, progress: nil)
        }
        return DashboardHub(hub: hub)
    }

    func app() throws -> some ApplicationProtocol { try hub.app() }

    func push(_ ops: [SyncOp]) async throws -> [OpResult] { try await hub.push(ops) }

    /// A week of alice's work on 2027-01-10: four calls (two reaching the debtor, one a promise),
    /// a note, a promise kept by a payment, a dispute, then the sync that reports her queue.
    func recordActivity() async throws {
        var ops = OpFactory()
        let a1 = ids["A-1"]!, a2 = ids["A-2"]!, a3 = ids["A-3"]!
        let at = clock
        let results = try await push([
            ops.make("call", dossier: a1, payload: OpPayload(outcome: "right-party", durationSeconds: 150, text: "Rappeler après 18h",
                                                             at: Timestamp.string(from: at)), at: at),
            ops.make("call", dossier: a1, payload: OpPayload(outcome: "promise", durationSeconds: 240, at: Timestamp.string(from: at.addingTimeInterval(600)),
                                                             amount: 20_000, due: "2027-01-15"), at: at.addingTimeInterval(600)),
            ops.make("call", dossier: a2, payload: OpPayload(outcome: "no-answer", durationSeconds: 20, at: Timestamp.string(from: at.addingTimeInterval(900))),
                     at: at.addingTimeInterval(900)),
            ops.make("call", dossier: a3, payload: OpPayload(outcome: "dispute", durationSeconds: 60, at: Timestamp.string(from: at.addingTimeInterval(1_200))),
                     at: at.addingTimeInterval(1_200)),
            ops.make("note", dossier: a1, payload: OpPayload(text: "Débiteur coopératif"), at: at.addingTimeInterval(1_300)),
            ops.make("dispute", dossier: a3, payload: OpPayload(text: "Colis jamais reçu", reason: "not-received"), at: at.addingTimeInterval(1_400)),
        ])
        #expect(results.allSatisfy { $0.status == .applied }, "\(results)")
        clock = CollectionsHub.day("2027-01-14")
        try await hub.pay("A-1", "200.00", on: "2027-01-14")
        clock = CollectionsHub.day("2027-01-20")
        _ = try await store.settleDue(now: clock)
    }
}
