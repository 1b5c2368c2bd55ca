import Foundation
import HomeshoreCore
import Hummingbird

/// `GET /login`, `POST /login` and `POST /logout`. Failed log-ins are limited per client address
/// and per login, so a password can be neither guessed from one machine nor sprayed at one account.
struct LoginController {
    let auth: SupervisorAuth
    let store: any HubStore
    let now: @Sendable () -> Date
    let throttle: LoginThrottle

    static let maxFailures = 5
    static let window: TimeInterval = 15 * 60
    static let maxBodyBytes = 16 * 1024

    func register(on router: Router<HubRequestContext>) {
        router.get("/login") { request, _ -> Response in
            if let viewer = try await auth.sessionViewer(request), viewer.role != .agent {
                return HTMLResponse.seeOther(Self.safeNext(FormFields(request.uri.query)["next"]))
            }
            return Self.loginPage(next: FormFields(request.uri.query)["next"], status: .ok)
        }

        router.post("/login") { request, context -> Response in
            try await logIn(request, context: context)
        }

        router.post("/logout") { request, _ -> Response in
            guard Self.isSameOrigin(request) else { return Self.crossOrigin() }
            try await auth.endSession(request)
            return HTMLResponse.seeOther("/login", extraHeaders: [.setCookie: SupervisorAuth.expiredCookie])
        }
    }

    private func logIn(_ request: Request, context: HubRequestContext) async throws -> Response {
        guard Self.isSameOrigin(request) else { return Self.crossOrigin() }
        var request = request
        let body = try await request.collectBody(upTo: Self.maxBodyBytes)
        let form = FormFields(String(buffer: body))
        let next = Self.safeNext(form["next"])
        // Logins are at most 40 characters: longer text is no account, and is not kept whole as a key.
        let login = String((form.text("login") ?? "").lowercased().prefix(41))
        let password = form["password"] ?? ""
        let keys = ["ip:" + context.clientKey, "login:" + login]
        guard await throttle.admit(keys, now: now()) else {
            context.logger.warning("dashboard log-in refused: too many failures", metadata: ["client": "\(context.clientKey)"])
            return Self.loginPage(next: next, login: login, problem: "Too many failed log-in attempts; wait 15 minutes and try again.",
                                  status: .tooManyRequests, extraHeaders: [.retryAfter: "900"])
        }
        let account: (agent: Agent, hash: String?)?
        do {
            account = login.isEmpty || login.count > 40 ? nil : try await store.credentials(login: login)
        } catch {
            await throttle.finish(keys, failed: false, now: now())
            throw error
        }
        // Every attempt costs one bcrypt check, known login or not, so timing reveals nothing.
        let valid = await PasswordHasher.verify(password, hash: password.isEmpty ? nil : account?.hash)
        await throttle.finish(keys, failed: !valid || account == nil, now: now())
        guard valid, let agent = account?.agent else {
            return Self.loginPage(next: next, login: login, problem: "Wrong login or password.", status: .unauthorized)
        }
        guard agent.role != .agent else {
            return Self.loginPage(next: next, login: login, problem: "The dashboard is for supervisors and admins; \(agent.login) is an agent account.",
                                  status: .forbidden)
        }
        let cookie = try await auth.startSession(login: agent.login)
        context.logger.info("dashboard log-in", metadata: ["login": "\(agent.login)"])
        return HTMLResponse.seeOther(next, extraHeaders: [.setCookie: cookie])
    }

    static func loginPage(next: String?, login: String? = nil, problem: String? = nil, status: HTTPResponse.Status,
                          extraHeaders: HTTPFields = [:]) -> Response {
        var page = HTMLPage(title: "Log in")
        page.loginForm = LoginForm(next: safeNext(next), loginName: login, problem: problem)
        return HTMLResponse.make(page, status: status, extraHeaders: extraHeaders)
    }

    /// Where to go after logging in: a path of this hub only. `//host` and `/\host` are read by
    /// browsers as another site, so they fall back to `/` like anything else odd.
    static func safeNext(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.hasPrefix("/\\"), text.count <= 1_000,
              text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" })
        else { return "/" }
        return text
    }

    /// A form posted from another site (login CSRF) carries that site in `Origin`. Browsers that
    /// send no `Origin` are still held back by the SameSite=Strict cookie. The hub serves HTTPS
    /// only, so its own origin is `https://` and its authority: `http://` or `ftp://` with the same
    /// host is another origin.
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let authority = request.head.authority else { return false }
        return origin.lowercased() == "https://" + authority.lowercased()
    }

    static func crossOrigin() -> Response {
        var page = HTMLPage(title: "Refused")
        page.message = "This form was sent from another site; open the dashboard directly and try again."
        return HTMLResponse.make(page, status: .forbidden)
    }
}
