import Foundation

/// One dashboard page to visit and what it must show.
struct PageSpec: Sendable {
    /// Also the screenshot's file name.
    let name: String
    let path: String
    let minFigures: Int
    let minCharts: Int
}

/// What the DOM check found on a loaded page.
struct PageFindings: Sendable {
    let url: String
    let title: String
    let figures: Int
    let charts: [(name: String, drawn: Int, width: Double, height: Double)]
    /// Each as `name = "text"`: empty, or NaN/undefined/null/Infinity.
    let badFigures: [String]
    /// Text of the page that looks like a rendering bug: NaN, undefined, [object Object], {{tags}}.
    let badText: [String]
    let brokenImages: [String]
    let hasLoginForm: Bool

    /// Runs in the page: counts figures and charts, and collects what looks broken.
    static let script = #"""
    (() => {
      const text = e => (e ? e.textContent || '' : '').replace(/\s+/g, ' ').trim();
      const broken = /(^|[^A-Za-z])(NaN|undefined|null|Infinity)([^A-Za-z]|$)/;
      const figures = Array.from(document.querySelectorAll('[data-figure]'));
      const badFigures = figures
        .filter(e => text(e) === '' || broken.test(text(e)))
        .map(e => `${e.getAttribute('data-figure')} = "${text(e)}"`);
      const charts = Array.from(document.querySelectorAll('svg[data-chart]')).map(s => {
        const box = s.getBoundingClientRect();
        return { name: s.getAttribute('data-chart') || '', width: box.width, height: box.height,
                 drawn: s.querySelectorAll('rect, path, line, polyline, polygon, circle, ellipse').length };
      });
      const body = document.body ? document.body.innerText : '';
      const badText = (body.match(/.{0,40}(\bNaN\b|\bundefined\b|\[object Object\]|\{\{[^}]*\}\}).{0,40}/g) || []).slice(0, 10);
      const brokenImages = Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
      return { url: location.href, title: document.title, figures: figures.length, badFigures, charts, badText,
               brokenImages, hasLoginForm: !!document.querySelector('form[action="/login"]') };
    })()
    """#

    init(_ value: JSONValue) {
        url = value["url"]?.string ?? ""
        title = value["title"]?.string ?? ""
        figures = value["figures"]?.int ?? 0
        charts = (value["charts"]?.array ?? []).map {
            ($0["name"]?.string ?? "", $0["drawn"]?.int ?? 0, $0["width"]?.double ?? 0, $0["height"]?.double ?? 0)
        }
        badFigures = (value["badFigures"]?.array ?? []).compactMap(\.string)
        badText = (value["badText"]?.array ?? []).compactMap(\.string)
        brokenImages = (value["brokenImages"]?.array ?? []).compactMap(\.string)
        hasLoginForm = value["hasLoginForm"]?.bool ?? false
    }

    /// Everything wrong with the page against its spec, one sentence each.
    func problems(against spec: PageSpec) -> [String] {
        var problems: [String] = []
        if hasLoginForm { problems.append("shows the login form although the session is open") }
        if figures < spec.minFigures { problems.append("has \(figures) [data-figure] elements, expected at least \(spec.minFigures)") }
        if charts.count < spec.minCharts { problems.append("has \(charts.count) svg[data-chart] charts, expected at least \(spec.minCharts)") }
        for figure in badFigures { problems.append("figure without a number: \(figure)") }
        for chart in charts where chart.drawn == 0 { problems.append("chart \"\(chart.name)\" draws nothing") }
        for chart in charts where chart.width < 1 || chart.height < 1 {
            problems.append("chart \"\(chart.name)\" is not visible (\(Int(chart.width))×\(Int(chart.height)) px)")
        }
        for snippet in badText { problems.append("suspicious text: \"\(snippet)\"") }
        for image in brokenImages { problems.append("broken image: \(image)") }
        return problems
    }

    var summary: String {
        "\(figures) figures, \(charts.count) charts (\(charts.map { "\($0.name): \($0.drawn) shapes" }.joined(separator: ", ")))"
    }
}
