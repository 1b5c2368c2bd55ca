import Foundation
import HomeshoreCore
import Hummingbird

/// The supervisors' dashboard at `/`: server-drawn HTML and SVG, no script, behind a log-in.
/// Pages without a session answer 401 with the log-in form itself (not a redirect), so a browser
/// shows it and the address stays the page asked for.
struct DashboardController {
    let store: any HubStore
    let now: @Sendable () -> Date
    let silentAfter: TimeInterval
    /// One per hub process, like the application that owns it.
    let loginFailures = LoginThrottle(limit: LoginController.maxFailures, window: LoginController.window)

    func register(on router: Router<HubRequestContext>) {
        let auth = SupervisorAuth(store: store, now: now)
        LoginController(auth: auth, store: store, now: now, throttle: loginFailures).register(on: router)
        let store = store, now = now, silentAfter = silentAfter
        page(router, "/", nav: .team, auth: auth) { request, _ in
            try await TeamTodayPage(store: store, now: now()).render(FormFields(request.uri.query))
        }
        page(router, "/agents/:login", nav: nil, auth: auth) { request, context in
            try await AgentPage(store: store, now: now()).render(login: Self.parameter("login", context), FormFields(request.uri.query))
        }
        page(router, "/promises", nav: .promises, auth: auth) { request, _ in
            try await PromisesPage(store: store, now: now()).render(FormFields(request.uri.query))
        }
        page(router, "/portfolios", nav: .portfolios, auth: auth) { request, _ in
            try await PortfoliosPage(store: store, now: now()).render(FormFields(request.uri.query))
        }
        page(router, "/sync", nav: .sync, auth: auth) { request, _ in
            try await SyncPage(store: store, now: now(), silentAfter: silentAfter).render(FormFields(request.uri.query))
        }
        page(router, "/compliance", nav: .compliance, auth: auth) { request, _ in
            try await CompliancePage(store: store, now: now()).render(FormFields(request.uri.query))
        }
        page(router, "/dossiers", nav: .dossiers, auth: auth) { request, _ in
            try await DossierSearchPage(store: store, now: now()).render(FormFields(request.uri.query))
        }
        page(router, "/dossiers/:portfolio/:reference", nav: .dossiers, auth: auth) { _, context in
            try await DossierPage(store: store).render(portfolio: Self.parameter("portfolio", context),
                                                       reference: Self.parameter("reference", context))
        }
    }

    typealias Builder = @Sendable (Request, HubRequestContext) async throws -> HTMLPage

    private func page(_ router: Router<HubRequestContext>, _ path: RouterPath, nav: DashboardNav?, auth: SupervisorAuth,
                      build: @escaping Builder) {
        router.get(path) { request, context -> Response in
            let viewer: Viewer
            do {
                viewer = try await auth.supervisor(for: request, allowDeviceToken: false)
            } catch let error as HomeshoreError where error.code == "unauthenticated" {
                let query = request.uri.query.map { "?" + $0 } ?? ""
                return LoginController.loginPage(next: request.uri.path + query, status: .unauthorized)
            } catch let error as HomeshoreError where error.code == "forbidden" {
                let agent = try await auth.sessionViewer(request)
                return Self.errorPage(error, viewer: agent, status: .forbidden)
            }
            do {
                var page = try await build(request, context)
                page.viewer = viewer
                page.nav = DashboardNav.items(current: nav)
                return HTMLResponse.make(page)
            } catch let error as HomeshoreError {
                return Self.errorPage(error, viewer: viewer, status: ErrorMiddleware<HubRequestContext>.status(for: error.code))
            }
        }
    }

    /// A refusal or a bad query, as a page with the navigation still there.
    static func errorPage(_ error: HomeshoreError, viewer: Viewer?, status: HTTPResponse.Status) -> Response {
        var page = HTMLPage(title: status == .forbidden ? "Not allowed" : status == .notFound ? "Not found" : "Cannot show this page")
        page.viewer = viewer
        page.nav = viewer.map { $0.role == .agent ? [] : DashboardNav.items(current: nil) } ?? []
        page.message = error.message
        return HTMLResponse.make(page, status: status)
    }

    /// Path parameters arrive percent-encoded; references may hold `/` or spaces.
    static func parameter(_ name: String, _ context: HubRequestContext) throws -> String {
        guard let raw = context.parameters.get(name), let value = raw.removingPercentEncoding, (1...200).contains(value.count) else {
            throw HomeshoreError("invalid_\(name)", "The \(name) in the address is missing or longer than 200 characters.")
        }
        return value
    }
}
