import Foundation
import HomeshoreCore
import Hummingbird

/// The supervisors' dashboard at `/`.
struct DashboardController {
    let store: any HubStore
    let now: @Sendable () -> Date

    func register(on router: Router<HubRequestContext>) {}
}
