import Foundation

extension ReportHTML {
    /// Classifiers down, extractors across, each cell the ranking score (the cross-validated mean,
    /// or the test accuracy without cross-validation), coloured over the range of the scores
    /// shown; the winner outlined solid, the pairs tied with it dashed.
    static func heatMap(_ report: SpotcheckReport) -> String {
        var classifiers = [String]()
        for result in report.results where !classifiers.contains(result.classifier) { classifiers.append(result.classifier) }
        let extractors = report.extractions.map(\.extractor)
        let crossValidated = report.selection.folds >= 2
        let score = { (result: SpotcheckReport.PairResult) in crossValidated ? result.cvMean : result.accuracy }
        let scores = report.results.compactMap(score)
        let low = scores.min() ?? 0, high = scores.max() ?? 1
        var html = "<h2>\(crossValidated ? "Cross-validated" : "Test") accuracy: classifier × extractor</h2>"
            + "<p class=\"legend\">Colours span \(String(format: "%.3f", low)) (pale) to \(String(format: "%.3f", high)) (green); "
            + "solid outline: the winner; dashed: statistically tied with it. Hover a cell for its test accuracy.</p>"
            + "<table><tr><th class=\"name\">classifier</th>" + extractors.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for classifier in classifiers {
            html += "<tr><th class=\"name\">\(escape(classifier))</th>"
            for extractor in extractors {
                let result = report.results.first { $0.extractor == extractor && $0.classifier == classifier }
                guard let result, let value = score(result) else {
                    html += "<td class=\"err\" title=\"\(escape(result?.error ?? "not run"))\">failed</td>"
                    continue
                }
                let mark = result.rank == 1 ? " class=\"best\"" : result.tiedWithBest == true ? " class=\"tied\"" : ""
                let title = String(format: "test accuracy %.3f", result.accuracy ?? 0)
                html += "<td style=\"background:\(color(value, low: low, high: high))\" title=\"\(title)\"\(mark)>"
                    + String(format: "%.3f", value) + "</td>"
            }
            html += "</tr>"
        }
        return html + "</table>"
    }

    /// Every pair in ranking order with all its numbers.
    static func pairTable(_ report: SpotcheckReport) -> String {
        var html = "<h2>Every pair, best first</h2><table><tr><th>rank</th><th class=\"name\">extractor</th>"
            + "<th class=\"name\">classifier</th><th>CV mean ± std</th><th>test accuracy</th><th>95% CI</th>"
            + "<th>p vs best</th><th>fit s</th><th>predict s</th><th>CV s</th></tr>"
        for result in report.results {
            guard let rank = result.rank, let accuracy = result.accuracy else { continue }
            let rowClass = rank == 1 ? " class=\"best\"" : result.tiedWithBest == true ? " class=\"tied\"" : ""
            let interval = result.testInterval ?? [0, 1]
            html += "<tr\(rowClass)><td>\(rank)</td><td class=\"name\">\(escape(result.extractor))</td>"
                + "<td class=\"name\">\(escape(result.classifier))</td>"
                + "<td>" + (result.cvMean.map { String(format: "%.3f ± %.3f", $0, result.cvStd ?? 0) } ?? "—") + "</td>"
                + String(format: "<td>%.3f</td><td>%.3f–%.3f</td>", accuracy, interval[0], interval[1])
                + "<td>" + (result.pValueVsBest.map { String(format: "%.3f", $0) } ?? "—") + "</td>"
                + String(format: "<td>%.3f</td><td>%.3f</td>", result.fitSeconds ?? 0, result.predictSeconds ?? 0)
                + "<td>" + (result.cvSeconds.map { String(format: "%.2f", $0) } ?? "—") + "</td></tr>"
        }
        return html + "</table>"
    }

    static func confusion(_ best: SpotcheckReport.BestPair, classes: [String]) -> String {
        var html = "<h3>Confusion matrix on the test split (rows: true class, columns: predicted)</h3><table><tr><th></th>"
        html += classes.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for (i, row) in best.confusionMatrix.enumerated() {
            let total = max(1, row.reduce(0, +))
            html += "<tr><th class=\"name\">\(escape(i < classes.count ? classes[i] : "\(i)"))</th>"
            html += row.map { "<td style=\"background:\(color(Double($0) / Double(total), low: 0, high: 1))\">\($0)</td>" }.joined()
            html += "</tr>"
        }
        return html + "</table>"
    }

    static func perClass(_ best: SpotcheckReport.BestPair) -> String {
        var html = "<h3>Per-class scores</h3><table><tr><th class=\"name\">class</th><th>precision</th><th>recall</th><th>f1</th><th>support</th></tr>"
        for c in best.perClass {
            html += "<tr><td class=\"name\">\(escape(c.className))</td>"
                + String(format: "<td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%d</td></tr>", c.precision, c.recall, c.f1, c.support)
        }
        return html + "</table>"
    }

    /// The winner's wrong answers on the test split, as thumbnails with true and predicted class.
    static func misclassified(_ best: SpotcheckReport.BestPair, thumbnails: [String: Data]) -> String {
        let wrong = (best.testPredictions ?? []).filter { $0.trueClass != $0.predictedClass }
        guard !wrong.isEmpty else { return "<h3>Misclassified test images</h3><p>None.</p>" }
        return "<h3>Misclassified test images (\(wrong.count))</h3><div class=\"thumbs\">" + wrong.map { prediction in
            let image = thumbnails[prediction.path].map {
                "<img alt=\"\(escape(prediction.path))\" src=\"data:image/jpeg;base64,\($0.base64EncodedString())\">"
            } ?? ""
            return "<figure title=\"\(escape(prediction.path))\">\(image)<figcaption>true <b>\(escape(prediction.trueClass))</b><br>"
                + "predicted <b class=\"err\">\(escape(prediction.predictedClass))</b></figcaption></figure>"
        }.joined() + "</div>"
    }

    static func extractionTable(_ report: SpotcheckReport) -> String {
        var html = "<h2>Extraction</h2><table><tr><th class=\"name\">extractor</th><th>dimension</th><th>rows</th><th>seconds</th><th>images/s</th><th class=\"name\">store</th></tr>"
        for e in report.extractions {
            let rate = e.imagesPerSecond.map { String(format: "%.1f", $0) } ?? (e.cached ? "cached" : "—")
            html += "<tr><td class=\"name\">\(escape(e.extractor))</td><td>\(e.dimension)</td><td>\(e.rows)</td>"
                + String(format: "<td>%.1f</td>", e.seconds) + "<td>\(rate)</td><td class=\"name\">\(escape(e.featureFile))</td></tr>"
        }
        return html + "</table>"
    }

    static func failures(_ report: SpotcheckReport) -> String {
        let failed = report.results.filter { $0.error != nil }
        guard !failed.isEmpty else { return "" }
        return "<h2>Failed classifiers</h2><ul>" + failed.map {
            "<li>\(escape($0.extractor)) + \(escape($0.classifier)): <span class=\"err\">\(escape($0.error ?? ""))</span></li>"
        }.joined() + "</ul>"
    }

    static func skipped(_ report: SpotcheckReport) -> String {
        let skipped = report.dataset.skipped
        guard !skipped.isEmpty else { return "<h2>Skipped files</h2><p>None.</p>" }
        return "<h2>Skipped files (\(skipped.count))</h2><table><tr><th class=\"name\">file</th><th class=\"name\">reason</th></tr>"
            + skipped.map { "<tr><td class=\"name\">\(escape($0.path))</td><td class=\"name\">\(escape($0.reason))</td></tr>" }.joined()
            + "</table>"
    }

    /// Pale yellow (`low`) to green (`high`).
    static func color(_ value: Double, low: Double, high: Double) -> String {
        let v = high > low ? min(1, max(0, (value - low) / (high - low))) : 1
        let hue = Int(60 + 60 * v)          // 60 = yellow, 120 = green
        let lightness = Int(95 - 45 * v)
        return "hsl(\(hue),70%,\(lightness)%)"
    }
}
