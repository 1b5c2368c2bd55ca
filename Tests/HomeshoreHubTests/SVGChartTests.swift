import Foundation
@testable import HomeshoreHub
import Testing

/// The dashboard's charts: self-contained SVG with a title and axes, escaped text, gaps for missing
/// values, and something drawn even when there is no data.
@Suite struct SVGChartTests {
    static func days(_ values: [Double?]) -> [SVGChart.Point] {
        values.enumerated().map { index, value in
            let day = String(format: "2027-01-%02d", index + 1)
            return SVGChart.Point(label: day, value: value, short: String(day.dropFirst(5)))
        }
    }

    static func count(_ text: String, _ part: String) -> Int { text.components(separatedBy: part).count - 1 }

    @Test func barsAreAccessibleSelfContainedSVG() {
        let svg = SVGChart.bars(id: "calls-per-day", title: "Calls per day", points: Self.days([3, 0, 7, nil, 12]))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"580\" height=\"228\" viewBox=\"0 0 580 228\" role=\"img\""))
        #expect(svg.contains("data-chart=\"calls-per-day\""))
        #expect(svg.contains("<title id=\"chart-calls-per-day-title\">Calls per day</title>"))
        #expect(svg.contains("aria-labelledby=\"chart-calls-per-day-title\""))
        // One bar per day with calls, each with its exact value in a tooltip.
        #expect(Self.count(svg, "<rect") == 3)
        #expect(svg.contains("<title>2027-01-05: 12</title>"))
        // The axis reaches a round value above the largest, and the days are labelled.
        #expect(svg.contains(">15</text>") && svg.contains(">0</text>"))
        #expect(svg.contains(">01-01</text>") && svg.contains(">01-05</text>"))
        #expect(!svg.contains("NaN") && !svg.contains("inf") && !svg.contains("<script"))
        #expect(svg.hasSuffix("</svg>"))
    }

    /// Text reads the same size in every chart: each is drawn one unit to one CSS pixel (its
    /// width and height are its viewBox's), never stretched to its column, and the columns of the
    /// dashboard's grid are at least a chart wide, so 12-unit labels are 12 px on a laptop and on paper.
    @Test func chartsAreDrawnAtTheirOwnSizeSoTextKeepsOneSize() throws {
        for svg in [SVGChart.bars(id: "a", title: "Bars", points: Self.days([1, 2])),
                    SVGChart.line(id: "b", title: "Line", points: Self.days([0.5, nil, 0.25]))] {
            let open = String(try #require(svg.split(separator: ">").first))
            #expect(open.contains(" width=\"\(SVGChart.n(SVGChart.width))\" height=\"\(SVGChart.n(SVGChart.height))\" "))
            #expect(open.contains(" viewBox=\"0 0 \(SVGChart.n(SVGChart.width)) \(SVGChart.n(SVGChart.height))\""))
            #expect(open.contains(" font-size=\"12\""))
            // Every label fits inside the drawing, so none is cut at the edge.
            #expect(SVGChart.plot.right < SVGChart.width && SVGChart.plot.left > 0 && SVGChart.plot.bottom + 18 < SVGChart.height)
        }
        let css = DashboardStyle.css
        #expect(css.contains(".charts svg { max-width: 100%; height: auto;"), "shrinks on a narrow screen, never grows")
        #expect(!css.contains(".charts svg { width: 100%"))
        #expect(css.contains("minmax(min(100%, \(Int(SVGChart.width) + 18)px), 1fr)"), "a column holds a chart and its figure's padding")
        // Two charts side by side on a 1366 px laptop: main is at most 1280 px with 20 px padding each side, 16 px between.
        #expect(2 * DashboardStyle.chartCell + 16 <= 1280 - 40)
        // And a chart fits the width of an A4 page printed with 12 mm margins (about 700 CSS px).
        #expect(SVGChart.width <= 700)
    }

    @Test func everyTextIsEscaped() {
        let svg = SVGChart.bars(id: "x\"><script>", title: "<b>Calls</b> & \"co\"",
                                points: [SVGChart.Point(label: "<i>day</i>", value: 2)])
        #expect(!svg.contains("<b>") && !svg.contains("<i>") && !svg.contains("<script"))
        #expect(svg.contains("&lt;b&gt;Calls&lt;/b&gt; &amp; &quot;co&quot;"))
        #expect(svg.contains("data-chart=\"x---script-\""))
    }

    @Test func linesBreakAtMissingValuesAndRatesReadAsPercent() {
        let svg = SVGChart.line(id: "ptp-rate", title: "PTP rate", points: Self.days([0.5, 0.25, nil, 1.5, 0.75, nil]))
        #expect(Self.count(svg, "<circle") == 4)
        // Two runs: before and after the gap; a lone point gets a dot but no line.
        #expect(Self.count(svg, "<polyline") == 2)
        #expect(svg.contains("<title>2027-01-04: 150%</title>"))
        // The scale goes past 100% when a rate does (several promises in one contact).
        #expect(svg.contains(">0%</text>") && svg.contains(">150%</text>"))
        let capped = SVGChart.line(id: "kept", title: "Kept", points: Self.days([0.2, 0.4]))
        #expect(capped.contains(">25%</text>") && capped.contains(">100%</text>") && !capped.contains(">125%</text>"))
    }

    @Test func emptyAndZeroSeriesStillDrawAxesAndNoNaN() {
        for svg in [SVGChart.bars(id: "empty", title: "Nothing", points: []),
                    SVGChart.bars(id: "zeros", title: "Zeros", points: Self.days([0, 0, 0])),
                    SVGChart.line(id: "gaps", title: "Gaps", points: Self.days([nil, nil])),
                    SVGChart.line(id: "none", title: "None", points: [])] {
            #expect(Self.count(svg, "<line") >= 2, "axes are drawn")
            #expect(!svg.contains("NaN") && !svg.contains("nan") && !svg.contains("inf"))
        }
        #expect(SVGChart.bars(id: "empty", title: "Nothing", points: []).contains("No data in this period"))
        #expect(SVGChart.line(id: "gaps", title: "Gaps", points: Self.days([nil, nil])).contains("No data in this period"))
        #expect(!SVGChart.bars(id: "zeros", title: "Zeros", points: Self.days([0, 0])).contains("No data in this period"))
    }

    @Test func longSeriesGetAboutEightLabelsAlwaysWithTheLastDay() {
        for count in [1, 2, 7, 8, 9, 30, 31, 90, 365] {
            let labelled = SVGChart.labelled(count: count)
            #expect(labelled.first == 0 && labelled.last == count - 1, "\(count)")
            #expect(labelled.count <= 9, "\(count): \(labelled.count) labels")
            #expect(labelled == labelled.sorted() && Set(labelled).count == labelled.count)
        }
        #expect(SVGChart.labelled(count: 0).isEmpty)
    }

    @Test func scalesEndOnRoundValues() {
        let counts = SVGChart.Scale(maxValue: 7, floor: 0, integers: true)
        #expect(counts.top == 8 && counts.step == 2)
        let small = SVGChart.Scale(maxValue: 1, floor: 0, integers: true)
        #expect(small.step == 1 && small.top == 1)
        let money = SVGChart.Scale(maxValue: 1_234.5, floor: 0, integers: false)
        #expect(money.top == 1_500 && money.step == 500)
        let rates = SVGChart.Scale(maxValue: 0.4, floor: 1, integers: false)
        #expect(rates.top == 1 && rates.step == 0.25)
        #expect(SVGChart.compact(12_500) == "12.5k" && SVGChart.compact(3_200_000) == "3.2M" && SVGChart.compact(950) == "950")
    }
}
