import HomeshoreCore
@testable import HomeshoreHub
import Testing

/// The dashboard's page types answer the template's names themselves (issue 10: Mirror lookups were
/// most of the team page's time). Each must answer every stored property as Mirror would, so a
/// property added later without its name here is caught.
@Suite struct PageModelLookupTests {
    static func expectAnswersLikeMirror(_ value: some NamedChildren, sourceLocation: SourceLocation = #_sourceLocation) {
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let viaMirror = Mirror(reflecting: child.value).displayStyle == .optional
                ? Mirror(reflecting: child.value).children.first.map { String(describing: $0.value) }
                : String(describing: child.value)
            let answered = value.child(named: label).map { String(describing: $0) }
            #expect(answered == viaMirror, "\(type(of: value)).\(label)", sourceLocation: sourceLocation)
        }
        #expect(value.child(named: "noSuchName") == nil)
    }

    @Test func everyPageTypeAnswersItsStoredProperties() {
        let cell = HTMLCell("1 234,00 €", figure: "agents.collected", link: "/agents/a", numeric: true, instant: false)
        let row = HTMLRow(cells: [cell, HTMLCell("x")], highlight: true)
        let table = HTMLTable(reportName: "agents", columns: [HTMLColumn(label: "Calls", numeric: true)], rows: [row], footer: [row])
        var section = PageSection(heading: "Agents", intro: nil, facts: [Fact(term: "Calls", detail: "3", factFigure: "team.calls")],
                                  charts: [ChartFigure(svg: "<svg/>")], table: table, pager: [PageLink(label: "next", href: "?page=2")])
        section.actions = [PageLink(label: "CSV", href: "/v1/reports/agents")]
        var page = HTMLPage(title: "Team today", subtitle: "2026-11-20", viewer: Viewer(login: "chef", name: "Chef", role: .supervisor),
                            sections: [section])
        page.nav = [NavItem(navLabel: "Team", navHref: "/", current: true)]
        page.period = PeriodForm(action: "/", filter: ReportFilter(from: "2026-11-01", to: nil, team: "nord"), teams: true, search: .some(nil))
        page.message = "hello"
        page.loginForm = LoginForm(next: "/", loginName: nil, problem: "wrong password")
        Self.expectAnswersLikeMirror(page)
        Self.expectAnswersLikeMirror(page.viewer!)
        Self.expectAnswersLikeMirror(page.nav[0])
        Self.expectAnswersLikeMirror(page.period!)
        Self.expectAnswersLikeMirror(page.loginForm!)
        Self.expectAnswersLikeMirror(section)
        Self.expectAnswersLikeMirror(section.facts[0])
        Self.expectAnswersLikeMirror(section.charts[0])
        Self.expectAnswersLikeMirror(section.pager[0])
        Self.expectAnswersLikeMirror(table)
        Self.expectAnswersLikeMirror(table.columns[0])
        Self.expectAnswersLikeMirror(row)
        Self.expectAnswersLikeMirror(cell)
    }
}

/// The page types' `child(named:)` (their `MustacheParent` answer), seen without importing Mustache.
protocol NamedChildren { func child(named: String) -> Any? }
extension HTMLPage: NamedChildren {}
extension Viewer: NamedChildren {}
extension NavItem: NamedChildren {}
extension PeriodForm: NamedChildren {}
extension LoginForm: NamedChildren {}
extension PageSection: NamedChildren {}
extension Fact: NamedChildren {}
extension ChartFigure: NamedChildren {}
extension PageLink: NamedChildren {}
extension HTMLTable: NamedChildren {}
extension HTMLColumn: NamedChildren {}
extension HTMLRow: NamedChildren {}
extension HTMLCell: NamedChildren {}
