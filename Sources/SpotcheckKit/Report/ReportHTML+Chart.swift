import Foundation

extension ReportHTML {
    /// An inline SVG chart of each extractor's best pair: a bar for its cross-validated mean
    /// with an error bar of ± one standard deviation, and a diamond at its test accuracy; the
    /// axis spans the range of the values shown.
    static func chart(_ report: SpotcheckReport) -> String {
        let bests = report.bestPerExtractor
        guard !bests.isEmpty else { return "" }
        let crossValidated = report.selection.folds >= 2
        let values = bests.flatMap { best -> [Double] in
            [best.accuracy] + (best.cvMean.map { [$0 - (best.cvStd ?? 0), $0 + (best.cvStd ?? 0)] } ?? [])
        }
        // The axis runs over whole ticks of 0.05 around the values, within [0, 1].
        let low = max(0, (((values.min() ?? 0) - 0.05) * 20).rounded(.down)) / 20
        let high = min(20, (((values.max() ?? 1) + 0.05) * 20).rounded(.up)) / 20
        let left = 260.0, width = 560.0, rowHeight = 30.0, top = 30.0
        let height = top + rowHeight * Double(bests.count) + 30
        func x(_ value: Double) -> Double { left + (value - low) / max(high - low, 1e-9) * width }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + width + 40))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"best pair per extractor\">"
        // The axis: ticks every 0.05 between the rounded ends.
        var tick = low
        while tick <= high + 1e-9 {
            let at = x(tick)
            svg += "<line x1=\"\(at)\" y1=\"\(top - 8)\" x2=\"\(at)\" y2=\"\(height - 24)\" stroke=\"#ddd\"/>"
                + "<text x=\"\(at)\" y=\"\(height - 8)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\(String(format: "%.2f", tick))</text>"
            tick += 0.05
        }
        for (row, best) in bests.enumerated() {
            let y = top + rowHeight * Double(row)
            let isWinner = report.best.map { $0.extractor == best.extractor && $0.classifier == best.classifier } ?? false
            svg += "<text x=\"\(left - 8)\" y=\"\(y + 15)\" font-size=\"12\" text-anchor=\"end\"\(isWinner ? " font-weight=\"bold\"" : "")>"
                + escape("\(best.extractor) + \(best.classifier)") + "</text>"
            if let mean = best.cvMean {
                let spread = best.cvStd ?? 0
                svg += "<rect x=\"\(x(low))\" y=\"\(y + 4)\" width=\"\(max(0, x(mean) - x(low)))\" height=\"16\" fill=\"\(isWinner ? "#2e7d32" : "#81c784")\"/>"
                    + "<line x1=\"\(x(mean - spread))\" y1=\"\(y + 12)\" x2=\"\(x(mean + spread))\" y2=\"\(y + 12)\" stroke=\"#000\" stroke-width=\"1.5\"/>"
                    + "<line x1=\"\(x(mean - spread))\" y1=\"\(y + 6)\" x2=\"\(x(mean - spread))\" y2=\"\(y + 18)\" stroke=\"#000\" stroke-width=\"1.5\"/>"
                    + "<line x1=\"\(x(mean + spread))\" y1=\"\(y + 6)\" x2=\"\(x(mean + spread))\" y2=\"\(y + 18)\" stroke=\"#000\" stroke-width=\"1.5\"/>"
            }
            let test = x(best.accuracy)
            svg += "<path d=\"M\(test) \(y + 5) L\(test + 6) \(y + 12) L\(test) \(y + 19) L\(test - 6) \(y + 12) Z\" fill=\"#1a5fb4\"><title>"
                + String(format: "test accuracy %.3f", best.accuracy) + "</title></path>"
        }
        svg += "</svg>"
        let legend = crossValidated
            ? "bar: cross-validated mean accuracy on the training rows, whiskers ± one standard deviation; ◆ test accuracy"
            : "◆ test accuracy (no cross-validation)"
        return "<h2>Best pair of each extractor</h2><p class=\"legend\">\(legend)</p>" + svg
    }
}
