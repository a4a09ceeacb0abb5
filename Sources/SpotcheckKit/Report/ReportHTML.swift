import Foundation

/// Renders a `SpotcheckReport` as one self-contained HTML page (inline CSS, no scripts, no
/// network): an extractor × classifier accuracy heat-map, the winner's confusion matrix and
/// per-class scores, extraction timings and the skipped files.
public enum ReportHTML {
    /// The page for `report`.
    public static func render(_ report: SpotcheckReport) -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>spotcheck report</title>
        <style>\(style)</style></head><body>
        <h1>spotcheck report</h1>
        """
        page += summary(report)
        page += heatMap(report)
        if let best = report.best {
            page += "<h2>Winner: \(escape(best.classifier)) on \(escape(best.extractor))</h2>"
            page += confusion(best, classes: report.dataset.classes)
            page += perClass(best)
        }
        page += extractionTable(report)
        page += failures(report)
        page += skipped(report)
        page += "<footer>spotcheck \(escape(report.toolVersion)) · \(escape(ISO8601DateFormatter().string(from: report.createdAt)))</footer>"
        page += "</body></html>\n"
        return page
    }

    private static let style = """
    body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
    h1{margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd}
    table{border-collapse:collapse;margin:.5em 0} td,th{padding:3px 8px;border:1px solid #ccc;text-align:right}
    th{background:#f4f4f4} td.name,th.name{text-align:left} .best{outline:3px solid #000}
    .summary td{text-align:left;border:none;padding:1px 12px 1px 0} footer{margin-top:2em;color:#888}
    .err{color:#a00}
    """

    private static func summary(_ report: SpotcheckReport) -> String {
        let d = report.dataset
        let counts = d.classes.map { "\(escape($0)) \(d.countsPerClass[$0] ?? 0)" }.joined(separator: ", ")
        var rows = [("Dataset", "\(escape(d.root)) — \(d.images) images, \(d.classes.count) classes (\(counts))"),
                    ("Split", "\(report.split.trainRows) train / \(report.split.testRows) test, stratified, seed \(report.split.seed)"
                        + (report.split.folds.map { ", \($0)-fold cross-validation" } ?? "")
                        + (report.split.groupedBy.map { ", copies of one source photo kept together (\(report.split.groups ?? 0) sources from \($0))" } ?? "")),
                    ("Skipped files", "\(d.skipped.count)"),
                    ("Total time", String(format: "%.1f s (extraction %.1f s, classifiers %.1f s)",
                                          report.timings.totalSeconds, report.timings.extractionSeconds,
                                          report.timings.classificationSeconds))]
        if let best = report.best {
            rows.insert(("Best pair", String(format: "<b>%@ + %@</b>: accuracy %.3f",
                                             escape(best.extractor), escape(best.classifier), best.accuracy)), at: 0)
        }
        return "<table class=\"summary\">" + rows.map { "<tr><td><b>\($0.0)</b></td><td>\($0.1)</td></tr>" }.joined() + "</table>"
    }

    /// Classifiers down, extractors across (the grid is long, the backbones few).
    private static func heatMap(_ report: SpotcheckReport) -> String {
        var classifiers = [String]()
        for result in report.results where !classifiers.contains(result.classifier) { classifiers.append(result.classifier) }
        let extractors = report.extractions.map(\.extractor)
        var html = "<h2>Test accuracy: classifier × extractor</h2><table><tr><th class=\"name\">classifier</th>"
        html += extractors.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for classifier in classifiers {
            html += "<tr><th class=\"name\">\(escape(classifier))</th>"
            for extractor in extractors {
                let result = report.results.first { $0.extractor == extractor && $0.classifier == classifier }
                guard let result, let accuracy = result.accuracy else {
                    html += "<td class=\"err\" title=\"\(escape(result?.error ?? "not run"))\">failed</td>"
                    continue
                }
                let isBest = report.best.map { $0.extractor == extractor && $0.classifier == classifier } ?? false
                html += "<td style=\"background:\(color(accuracy))\"\(isBest ? " class=\"best\"" : "")>"
                    + String(format: "%.3f", accuracy) + "</td>"
            }
            html += "</tr>"
        }
        return html + "</table>"
    }

    private static func confusion(_ best: SpotcheckReport.BestPair, classes: [String]) -> String {
        var html = "<h3>Confusion matrix (rows: true class, columns: predicted)</h3><table><tr><th></th>"
        html += classes.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for (i, row) in best.confusionMatrix.enumerated() {
            let total = max(1, row.reduce(0, +))
            html += "<tr><th class=\"name\">\(escape(i < classes.count ? classes[i] : "\(i)"))</th>"
            html += row.map { "<td style=\"background:\(color(Double($0) / Double(total)))\">\($0)</td>" }.joined()
            html += "</tr>"
        }
        return html + "</table>"
    }

    private static func perClass(_ best: SpotcheckReport.BestPair) -> String {
        var html = "<h3>Per-class scores</h3><table><tr><th class=\"name\">class</th><th>precision</th><th>recall</th><th>f1</th><th>support</th></tr>"
        for c in best.perClass {
            html += "<tr><td class=\"name\">\(escape(c.className))</td>"
                + String(format: "<td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%d</td></tr>", c.precision, c.recall, c.f1, c.support)
        }
        return html + "</table>"
    }

    private static func extractionTable(_ report: SpotcheckReport) -> String {
        var html = "<h2>Extraction</h2><table><tr><th class=\"name\">extractor</th><th>dimension</th><th>rows</th><th>seconds</th><th>images/s</th><th class=\"name\">store</th></tr>"
        for e in report.extractions {
            let rate = e.imagesPerSecond.map { String(format: "%.1f", $0) } ?? (e.cached ? "cached" : "—")
            html += "<tr><td class=\"name\">\(escape(e.extractor))</td><td>\(e.dimension)</td><td>\(e.rows)</td>"
                + String(format: "<td>%.1f</td>", e.seconds) + "<td>\(rate)</td><td class=\"name\">\(escape(e.featureFile))</td></tr>"
        }
        return html + "</table>"
    }

    private static func failures(_ report: SpotcheckReport) -> String {
        let failed = report.results.filter { $0.error != nil }
        guard !failed.isEmpty else { return "" }
        return "<h2>Failed classifiers</h2><ul>" + failed.map {
            "<li>\(escape($0.extractor)) + \(escape($0.classifier)): <span class=\"err\">\(escape($0.error ?? ""))</span></li>"
        }.joined() + "</ul>"
    }

    private static func skipped(_ report: SpotcheckReport) -> String {
        let skipped = report.dataset.skipped
        guard !skipped.isEmpty else { return "<h2>Skipped files</h2><p>None.</p>" }
        return "<h2>Skipped files (\(skipped.count))</h2><table><tr><th class=\"name\">file</th><th class=\"name\">reason</th></tr>"
            + skipped.map { "<tr><td class=\"name\">\(escape($0.path))</td><td class=\"name\">\(escape($0.reason))</td></tr>" }.joined()
            + "</table>"
    }

    /// White (0) to green (1) through yellow, for accuracies and row shares.
    private static func color(_ value: Double) -> String {
        let v = min(1, max(0, value))
        let hue = Int(60 + 60 * v)          // 60 = yellow, 120 = green
        let lightness = Int(97 - 45 * v)
        return "hsl(\(hue),70%,\(lightness)%)"
    }

    /// `text` with the five HTML-special characters escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
