/// The dashboard's sections, in the navigation bar's order.
enum DashboardNav: String, CaseIterable {
    case team = "/"
    case promises = "/promises"
    case portfolios = "/portfolios"
    case sync = "/sync"
    case compliance = "/compliance"
    case dossiers = "/dossiers"

    var label: String {
        switch self {
        case .team: "Team today"
        case .promises: "Promises"
        case .portfolios: "Portfolios"
        case .sync: "Sync"
        case .compliance: "Compliance"
        case .dossiers: "Dossiers"
        }
    }

    static func items(current: DashboardNav?) -> [NavItem] {
        allCases.map { NavItem(navLabel: $0.label, navHref: $0.rawValue, current: $0 == current) }
    }
}
