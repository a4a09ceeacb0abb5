import Foundation

/// Renders a `SpotcheckReport` as one self-contained HTML page (inline CSS and SVG, no scripts,
/// no network): the verdict with its uncertainty and tie group, a chart of each extractor's best
/// pair with error bars, a heat map coloured over the actual range of scores, every pair's
/// numbers, the winner's confusion matrix, per-class scores and misclassified test images, and
/// the extraction timings and skipped files.
public enum ReportHTML {
    /// The page for `report`.
    /// - Parameters:
    ///   - report: the run's report.
    ///   - thumbnails: JPEG thumbnails of the winner's misclassified test images, by their
    ///     report path (missing ones are shown as names only).
    /// - Returns: the HTML text.
    public static func render(_ report: SpotcheckReport, thumbnails: [String: Data] = [:]) -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>spotcheck report</title>
        <style>\(style)</style></head><body>
        <h1>spotcheck report</h1>
        """
        page += summary(report)
        page += chart(report)
        page += heatMap(report)
        if let best = report.best {
            page += "<h2>Winner: \(escape(best.classifier)) on \(escape(best.extractor))</h2>"
            page += confusion(best, classes: report.dataset.classes)
            page += perClass(best)
            page += misclassified(best, thumbnails: thumbnails)
        }
        page += pairTable(report)
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
    th{background:#f4f4f4} td.name,th.name{text-align:left} td.best{outline:3px solid #000;font-weight:bold}
    td.tied{outline:2px dashed #1a5fb4} tr.tied td{background:#eef4ff} tr.best td{background:#e8f5e9;font-weight:bold}
    .summary td{text-align:left;border:none;padding:1px 12px 1px 0} footer{margin-top:2em;color:#888}
    .err{color:#a00} .legend{color:#555;font-size:90%} figure{display:inline-block;margin:4px;text-align:center;font-size:85%}
    figure img{display:block;border:1px solid #ccc} .thumbs{display:flex;flex-wrap:wrap}
    """

    private static func summary(_ report: SpotcheckReport) -> String {
        let d = report.dataset
        let counts = d.classes.map { "\(escape($0)) \(d.countsPerClass[$0] ?? 0)" }.joined(separator: ", ")
        let selection = report.selection
        var rows = [("Dataset", "\(escape(d.root)) — \(d.images) images, \(d.classes.count) classes (\(counts))"),
                    ("Split", "\(report.split.trainRows) train / \(report.split.testRows) test, stratified, seed \(report.split.seed)"
                        + (report.split.groupedBy.map { ", copies of one source photo kept together (\(report.split.groups ?? 0) sources from \(escape($0)))" } ?? "")),
                    ("Selection", escape(selection.method) + (selection.note.map { " — " + escape($0) } ?? "")),
                    ("Ties", tieSentence(report)),
                    ("Skipped files", "\(d.skipped.count)"),
                    ("Total time", String(format: "%.1f s (extraction %.1f s, classifiers %.1f s)",
                                          report.timings.totalSeconds, report.timings.extractionSeconds,
                                          report.timings.classificationSeconds))]
        if let best = report.best {
            let cv = best.cvMean.map { String(format: "cross-validated %.3f ± %.3f; ", $0, best.cvStd ?? 0) } ?? ""
            rows.insert(("Best pair", "<b>\(escape(best.extractor)) + \(escape(best.classifier))</b>: " + cv
                + String(format: "test accuracy %.3f (95%% CI %.3f–%.3f, %d images)", best.accuracy,
                         best.testInterval[0], best.testInterval[1], best.testImages)), at: 0)
        }
        return "<table class=\"summary\">" + rows.map { "<tr><td><b>\($0.0)</b></td><td>\($0.1)</td></tr>" }.joined() + "</table>"
    }

    /// "N pairs are statistically tied with the best: …".
    private static func tieSentence(_ report: SpotcheckReport) -> String {
        let tied = report.selection.tied
        let test = "\(escape(report.selection.tieTest)), α = \(report.selection.alpha)"
        guard !tied.isEmpty else { return "no other pair is statistically tied with the best (\(test))" }
        return "<b>\(tied.count) pair\(tied.count == 1 ? " is" : "s are") statistically tied with the best</b> (\(test)): "
            + tied.map { escape("\($0.extractor) + \($0.classifier)") }.joined(separator: ", ")
    }

    /// `text` with the five HTML-special characters escaped.
    static func escape(_ text: String) -> String {
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
