import Foundation

/// Charts the hub draws itself, as inline SVG: no script, no library, nothing fetched, and they
/// print as they show. Every text is escaped; a missing value (a rate with nothing to divide by)
/// leaves a gap rather than a false zero.
public enum SVGChart {
    public struct Point: Sendable, Equatable {
        /// The full label, in the tooltip (e.g. `2027-01-10`).
        public var label: String
        public var value: Double?
        /// A shorter label under the axis (e.g. `01-10`); the full label when nil.
        public var short: String?

        public init(label: String, value: Double?, short: String? = nil) {
            self.label = label
            self.value = value
            self.short = short
        }
    }

    // Drawn at its own size, one unit to one CSS pixel, and never stretched (only shrunk on screens
    // narrower than a chart): text then reads 12 px on every page, on a laptop and on paper alike,
    // instead of growing and shrinking with the column a chart lands in. 580 px is what two charts
    // side by side get on a 1366 px laptop (see `.charts` in DashboardStyle) and fits a printed A4 page.
    static let width = 580.0
    static let height = 228.0
    static let plot = (left: 50.0, right: width - 12, top: 34.0, bottom: 196.0)
    static let ink = "#1f5fbf"

    /// One bar per point, from zero.
    public static func bars(id: String, title: String, points: [Point], integers: Bool = true,
                            format: (Double) -> String = count, axisFormat: ((Double) -> String)? = nil) -> String {
        let scale = Scale(maxValue: points.compactMap(\.value).max() ?? 0, floor: 0, integers: integers)
        var body = axisFormat.map { frame(scale: scale, points: points, format: $0) } ?? frame(scale: scale, points: points, format: format)
        let slot = (plot.right - plot.left) / Double(max(points.count, 1))
        for (index, point) in points.enumerated() {
            guard let value = point.value, value > 0 else { continue }
            let top = scale.y(value)
            body += "<rect x=\"\(n(plot.left + slot * Double(index) + slot * 0.15))\" y=\"\(n(top))\" width=\"\(n(slot * 0.7))\" "
                + "height=\"\(n(plot.bottom - top))\" fill=\"\(ink)\"><title>\(HTMLText.escape(point.label + ": " + format(value)))</title></rect>\n"
        }
        return wrap(id: id, title: title, body: body, empty: points.allSatisfy { $0.value == nil })
    }

    /// A line through the points; nil points break it. The scale reaches at least `floor` (1 = 100%
    /// for rates, which can still pass it: several promises in one contact).
    public static func line(id: String, title: String, points: [Point], floor: Double = 1,
                            format: (Double) -> String = percent) -> String {
        let scale = Scale(maxValue: points.compactMap(\.value).max() ?? 0, floor: floor, integers: false)
        var body = frame(scale: scale, points: points, format: format)
        let slot = (plot.right - plot.left) / Double(max(points.count, 1))
        var run: [String] = []
        func closeRun() {
            if run.count > 1 {
                body += "<polyline points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"\(ink)\" stroke-width=\"2\"/>\n"
            }
            run = []
        }
        for (index, point) in points.enumerated() {
            guard let value = point.value else { closeRun(); continue }
            let x = plot.left + slot * (Double(index) + 0.5), y = scale.y(value)
            run.append("\(n(x)),\(n(y))")
            body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3\" fill=\"\(ink)\"><title>\(HTMLText.escape(point.label + ": " + format(value)))</title></circle>\n"
        }
        closeRun()
        return wrap(id: id, title: title, body: body, empty: points.allSatisfy { $0.value == nil })
    }

    public static func count(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// `950`, `12.5k`, `3.2M`: axis values short enough for the margin.
    public static func compact(_ value: Double) -> String {
        switch abs(value) {
        case 1_000_000...: count((value / 100_000).rounded() / 10) + "M"
        case 1_000...: count((value / 100).rounded() / 10) + "k"
        default: count((value * 10).rounded() / 10)
        }
    }

    public static func percent(_ value: Double) -> String {
        String(format: "%.0f%%", value * 100)
    }

    /// The y axis: from zero to a round top with four steps.
    struct Scale {
        var top: Double
        var step: Double

        init(maxValue: Double, floor: Double, integers: Bool) {
            let reach = max(maxValue, floor)
            guard reach > 0 else {
                top = integers ? 4 : 1
                step = top / 4
                return
            }
            var step = Self.nice(reach / 4)
            if integers { step = max(1, step.rounded(.up)) }
            self.step = step
            top = step * (reach / step).rounded(.up)
        }

        func y(_ value: Double) -> Double {
            plot.bottom - (plot.bottom - plot.top) * min(max(value, 0), top) / top
        }

        /// 1, 2, 2.5 or 5 times a power of ten, at least `value` (2.5 gives rates their quarters).
        static func nice(_ value: Double) -> Double {
            let power = pow(10, (log10(value)).rounded(.down))
            let fraction = value / power
            return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10) * power
        }
    }

    /// Axes, grid lines with their values, and up to eight labels along the bottom.
    static func frame(scale: Scale, points: [Point], format: (Double) -> String) -> String {
        var svg = "<g stroke=\"#d5dae3\" stroke-width=\"1\">\n"
        var labels = "<g fill=\"#5b6678\" text-anchor=\"end\">\n"
        var tick = 0.0
        while tick <= scale.top + scale.step / 1000 {
            let y = n(scale.y(tick))
            svg += "<line x1=\"\(n(plot.left))\" y1=\"\(y)\" x2=\"\(n(plot.right))\" y2=\"\(y)\"/>\n"
            labels += "<text x=\"\(n(plot.left - 6))\" y=\"\(y)\" dy=\"4\">\(HTMLText.escape(format(tick)))</text>\n"
            tick += scale.step
        }
        svg += "</g>\n<g stroke=\"#5b6678\" stroke-width=\"1\">"
            + "<line x1=\"\(n(plot.left))\" y1=\"\(n(plot.top))\" x2=\"\(n(plot.left))\" y2=\"\(n(plot.bottom))\"/>"
            + "<line x1=\"\(n(plot.left))\" y1=\"\(n(plot.bottom))\" x2=\"\(n(plot.right))\" y2=\"\(n(plot.bottom))\"/></g>\n"
        labels += "</g>\n<g fill=\"#5b6678\" text-anchor=\"middle\">\n"
        let slot = (plot.right - plot.left) / Double(max(points.count, 1))
        for index in labelled(count: points.count) {
            let x = n(plot.left + slot * (Double(index) + 0.5))
            labels += "<text x=\"\(x)\" y=\"\(n(plot.bottom + 18))\">\(HTMLText.escape(points[index].short ?? points[index].label))</text>\n"
        }
        return svg + labels + "</g>\n"
    }

    /// Which points get a label under the axis: at most about eight, evenly spaced, always the last
    /// (the regular one before it gives way when they would overlap).
    static func labelled(count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let stride = max(1, Int((Double(count) / 8).rounded(.up)))
        var indices = Array(Swift.stride(from: 0, to: count, by: stride))
        if indices.last != count - 1 {
            if let last = indices.last, last != 0, (count - 1) - last < (stride + 1) / 2 { indices.removeLast() }
            indices.append(count - 1)
        }
        return indices
    }

    static func wrap(id: String, title: String, body: String, empty: Bool) -> String {
        let safeId = String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" })
        let title = HTMLText.escape(title)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" "
            + "aria-labelledby=\"chart-\(safeId)-title\" data-chart=\"\(safeId)\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n"
            + "<title id=\"chart-\(safeId)-title\">\(title)</title>\n"
            + "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2430\">\(title)</text>\n"
            + body
        if empty {
            svg += "<text x=\"\(n((plot.left + plot.right) / 2))\" y=\"\(n((plot.top + plot.bottom) / 2))\" text-anchor=\"middle\" "
                + "fill=\"#5b6678\">No data in this period</text>\n"
        }
        return svg + "</svg>"
    }

    /// Coordinates with one decimal at most: small, and the same on every platform.
    static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }
}
