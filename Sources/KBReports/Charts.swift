import Foundation
import KBSupport

/// Inline SVG charts drawn from numbers (no script, nothing from the network). Labels are
/// XML-escaped; every chart is shown next to a table of the same data by the templates.
enum SVGChart {
    static func escape(_ s: String) -> String { HTMLEscape.text(s) }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(format: "%.1f", v)
    }

    /// A line over `points` (x labels in order), with the axis maximum marked.
    static func line(
        _ points: [(label: String, value: Double)], title: String, width: Int = 640, height: Int = 180
    ) -> String {
        let left = 36.0, right = 8.0, top = 10.0, bottom = 24.0
        let w = Double(width) - left - right, h = Double(height) - top - bottom
        let maxValue = max(points.map(\.value).max() ?? 0, 1)
        func x(_ i: Int) -> Double {
            points.count <= 1 ? left + w / 2 : left + w * Double(i) / Double(points.count - 1)
        }
        func y(_ v: Double) -> Double { top + h * (1 - v / maxValue) }
        var out =
            "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" xmlns=\"http://www.w3.org/2000/svg\"><title>\(escape(title))</title>"
        out += "<line x1=\"\(left)\" y1=\"\(top + h)\" x2=\"\(left + w)\" y2=\"\(top + h)\" stroke=\"#ccd2de\"/>"
        out += "<text x=\"\(left - 4)\" y=\"\(top + 8)\" text-anchor=\"end\">\(number(maxValue))</text>"
        out += "<text x=\"\(left - 4)\" y=\"\(top + h)\" text-anchor=\"end\">0</text>"
        if !points.isEmpty {
            let path = points.enumerated().map { i, p in
                String(format: "%@%.1f,%.1f", i == 0 ? "M" : "L", x(i), y(p.value))
            }.joined()
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"#2f6fdf\" stroke-width=\"2\"/>"
            for (i, p) in points.enumerated() where points.count <= 62 {
                out += String(
                    format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#2f6fdf\"><title>%@: %@</title></circle>",
                    x(i), y(p.value), escape(p.label), number(p.value))
            }
            let ticks = Set([0, points.count / 2, points.count - 1])
            for i in ticks.sorted() {
                let anchor = i == 0 ? "start" : i == points.count - 1 ? "end" : "middle"
                out += String(
                    format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%@\">%@</text>", x(i), Double(height) - 6,
                    anchor,
                    escape(points[i].label))
            }
        }
        return out + "</svg>"
    }

    /// Horizontal bars, one row per item, with the previous window as a thin grey bar.
    static func bars(
        _ items: [(label: String, value: Double, previous: Double?)], title: String, unit: String = "",
        format: ((Double) -> String)? = nil, width: Int = 640
    ) -> String {
        let text: (Double) -> String = format ?? { number($0) + unit }
        let row = 26.0, labelWidth = 150.0, valueWidth = 70.0
        let height = Int(row * Double(max(items.count, 1)) + 8)
        let maxValue = max(items.map { max($0.value, $0.previous ?? 0) }.max() ?? 0, 1e-9)
        let w = Double(width) - labelWidth - valueWidth
        var out =
            "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" xmlns=\"http://www.w3.org/2000/svg\"><title>\(escape(title))</title>"
        for (i, item) in items.enumerated() {
            let y = 4 + row * Double(i)
            let label = item.label.count > 22 ? String(item.label.prefix(21)) + "…" : item.label
            out += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>", labelWidth - 6, y + 15,
                escape(label))
            out += String(
                format:
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"2\" fill=\"#2f6fdf\"><title>%@: %@</title></rect>",
                labelWidth, y + 3, max(w * item.value / maxValue, 1), escape(item.label), escape(text(item.value)))
            if let p = item.previous {
                out += String(
                    format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"3\" fill=\"#9aa5b8\"/>", labelWidth,
                    y + 19, max(w * p / maxValue, 1))
            }
            out += String(
                format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>", labelWidth + max(w * item.value / maxValue, 1) + 4,
                y + 15,
                escape(text(item.value)))
        }
        return out + "</svg>"
    }
}
