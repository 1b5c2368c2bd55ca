import Foundation
import HomeshoreCore

// What a dashboard page shows, as plain values the mustache templates walk. Mustache looks a
// missing (or nil) key up in the enclosing objects, so every key name below is unique across levels.

struct HTMLPage {
    var title: String
    var subtitle: String?
    var viewer: Viewer?
    var nav: [NavItem] = []
    var period: PeriodForm?
    var message: String?
    var sections: [PageSection] = []
    var loginForm: LoginForm?
    let css = DashboardStyle.css

    init(title: String, subtitle: String? = nil, viewer: Viewer? = nil, sections: [PageSection] = []) {
        self.title = title
        self.subtitle = subtitle
        self.viewer = viewer
        self.sections = sections
    }
}

struct NavItem {
    var navLabel: String
    var navHref: String
    var current: Bool
}

/// The small GET form that picks a page's period and scope.
struct PeriodForm {
    var action: String
    var dates: Bool
    var teams: Bool
    var portfolios: Bool
    var search: Bool
    var fromValue: String?
    var toValue: String?
    var teamValue: String?
    var portfolioValue: String?
    var searchValue: String?

    /// `search` nil: no search field; `.some(text)`: the field, holding `text` (nil when empty).
    init(action: String, filter: ReportFilter, dates: Bool = true, teams: Bool = false, portfolios: Bool = false,
         search: String?? = nil) {
        self.action = action
        self.dates = dates
        self.teams = teams
        self.portfolios = portfolios
        self.search = search != nil
        fromValue = filter.from
        toValue = filter.to
        teamValue = filter.team
        portfolioValue = filter.portfolio
        searchValue = search ?? nil
    }
}

struct LoginForm {
    var next: String
    var loginName: String?
    var problem: String?
}

struct PageSection {
    var heading: String?
    var intro: String?
    var facts: [Fact] = []
    var charts: [ChartFigure] = []
    var tables: [HTMLTable] = []
    /// Links to the other pages of a long table, above and below it (not printed).
    var pager: [PageLink] = []
    var actions: [PageLink] = []

    init(heading: String? = nil, intro: String? = nil, facts: [Fact] = [], charts: [ChartFigure] = [], table: HTMLTable? = nil,
         tables: [HTMLTable] = [], pager: [PageLink] = [], actions: [PageLink] = []) {
        self.heading = heading
        self.intro = intro
        self.facts = facts
        self.charts = charts
        self.tables = (table.map { [$0] } ?? []) + tables
        self.pager = pager
        self.actions = actions
    }
}

/// One term and its value, in a definition list.
struct Fact {
    var term: String
    var detail: String
    var factFigure: String?
}

struct ChartFigure {
    /// Drawn and escaped by `SVGChart`; inserted as is.
    var svg: String
}

struct PageLink {
    var label: String
    var href: String
}

struct HTMLTable {
    var reportName: String
    var caption: String?
    var columns: [HTMLColumn]
    var rows: [HTMLRow]
    var footer: [HTMLRow]
    var emptyText: String
    /// Stored, not computed: mustache reads stored properties only.
    let width: Int

    init(reportName: String, columns: [HTMLColumn], rows: [HTMLRow], footer: [HTMLRow] = [],
         emptyText: String = "Nothing in this period.") {
        self.reportName = reportName
        self.columns = columns
        self.rows = rows
        self.footer = footer
        self.emptyText = emptyText
        width = columns.count
    }
}

struct HTMLColumn {
    var label: String
    var numeric: Bool
}

struct HTMLRow {
    var cells: [HTMLCell]
    var highlight = false
}

struct HTMLCell {
    var text: String
    /// Set on figures (`report.column`): the browser test and readers find them by it.
    var figure: String?
    var link: String?
    var numeric = false
    /// A date and time: kept on one line.
    var instant = false

    init(_ text: String, figure: String? = nil, link: String? = nil, numeric: Bool = false, instant: Bool = false) {
        self.text = text
        self.figure = figure
        self.link = link
        self.numeric = numeric
        self.instant = instant
    }
}
