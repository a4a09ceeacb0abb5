import Foundation
import SpotcheckKit

/// The results on stdout: one table in ranking order — cross-validated mean ± std, test accuracy
/// with its 95 % interval, fit time — with the winner and the pairs tied with it marked, then the
/// verdict in words.
enum ResultTable {
    /// Prints the first `top` pairs of `report` (failed pairs after them) and the verdict.
    /// - Parameters:
    ///   - report: the run's report.
    ///   - top: how many ranked pairs to show (the rest are counted).
    static func print(_ report: SpotcheckReport, top: Int) {
        let ranked = report.results.filter { $0.rank != nil }
        let failed = report.results.filter { $0.rank == nil }
        let shown = Array(ranked.prefix(top)) + failed
        let extractorWidth = max(9, shown.map(\.extractor.count).max() ?? 0)
        let classifierWidth = max(10, shown.map(\.classifier.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        let crossValidated = report.selection.folds >= 2
        Swift.print("    " + pad("extractor", extractorWidth) + "  " + pad("classifier", classifierWidth)
                    + (crossValidated ? "  CV mean ± std  " : "  ") + "test accuracy (95% CI)      fit s")
        for result in shown {
            let head = pad(result.extractor, extractorWidth) + "  " + pad(result.classifier, classifierWidth) + "  "
            guard let accuracy = result.accuracy, let rank = result.rank else {
                Swift.print("  ✗ " + head + "FAILED: " + (result.error ?? "unknown error"))
                continue
            }
            let mark = rank == 1 ? "  ★ " : result.tiedWithBest == true ? "  ≈ " : "    "
            let cv = crossValidated ? String(format: "%.3f ± %.3f  ", result.cvMean ?? 0, result.cvStd ?? 0) : ""
            let interval = result.testInterval ?? [0, 1]
            Swift.print(mark + head + cv + String(format: "%.3f [%.3f, %.3f]  %3d/%-3d %6.2f", accuracy, interval[0], interval[1],
                                                  result.testCorrect ?? 0, result.testImages ?? 0, result.fitSeconds ?? 0))
        }
        if ranked.count > top { Swift.print("    … \(ranked.count - top) more pairs in the report (--top N shows more)") }
        printVerdict(report)
    }

    /// The winner, how it was chosen and the tie group, in words.
    static func printVerdict(_ report: SpotcheckReport) {
        guard let best = report.best else { return }
        let cv = best.cvMean.map { String(format: "CV %.3f ± %.3f, ", $0, best.cvStd ?? 0) } ?? ""
        Swift.print(String(format: "Best: %@ + %@ (%@test accuracy %.3f [%.3f, %.3f] on %d images)", best.extractor,
                           best.classifier, cv, best.accuracy, best.testInterval[0], best.testInterval[1], best.testImages))
        Swift.print("Chosen: \(report.selection.method).")
        let tied = report.selection.tied
        if tied.isEmpty {
            Swift.print("No other pair is statistically tied with the best (\(report.selection.tieTest), α = \(report.selection.alpha)).")
        } else {
            let names = tied.prefix(8).map { "\($0.extractor) + \($0.classifier)" }.joined(separator: ", ")
            Swift.print("\(tied.count) pair\(tied.count == 1 ? " is" : "s are") statistically tied with the best (≈; \(report.selection.tieTest), α = \(report.selection.alpha)): "
                        + names + (tied.count > 8 ? ", and \(tied.count - 8) more (listed in the report)" : "") + ".")
            if report.selection.folds >= 2, report.selection.repeats == 1 {
                Swift.print("More images, or repeated cross-validation (--repeats 3), narrow the tie group.")
            }
        }
    }
}
