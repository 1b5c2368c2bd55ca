import Foundation
import HomeshoreCore
import Hummingbird

/// `GET /v1/reports/{name}` for supervisors and admins. (Access control: see the dashboard work.)
struct ReportsController {
    let store: any HubStore
    let now: @Sendable () -> Date

    func register(on router: Router<HubRequestContext>) {}
}
