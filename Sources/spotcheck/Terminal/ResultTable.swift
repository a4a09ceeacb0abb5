import Foundation
import SpotcheckKit

/// The final table on stdout: every pair sorted by test accuracy, best first.
enum ResultTable {
    /// Prints `results` as aligned columns; failed pairs come last with their error.
    static func print(_ results: [SpotcheckReport.PairResult]) {
        let sorted = results.sorted { ($0.accuracy ?? -1) > ($1.accuracy ?? -1) }
        let extractorWidth = max(9, results.map(\.extractor.count).max() ?? 0)
        let classifierWidth = max(10, results.map(\.classifier.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        Swift.print(pad("extractor", extractorWidth) + "  " + pad("classifier", classifierWidth)
                    + "  accuracy  bal.acc  macro-F1   fit s")
        for r in sorted {
            let head = pad(r.extractor, extractorWidth) + "  " + pad(r.classifier, classifierWidth) + "  "
            guard let accuracy = r.accuracy else {
                Swift.print(head + "FAILED: " + (r.error ?? "unknown error"))
                continue
            }
            Swift.print(head + fixed(accuracy, 8) + "  " + fixed(r.balancedAccuracy ?? 0, 7) + "  "
                        + fixed(r.macroF1 ?? 0, 8) + "  " + fixed(r.fitSeconds ?? 0, 6, digits: 2))
        }
    }

    /// `value` with `digits` decimals, right-aligned in `width` characters.
    private static func fixed(_ value: Double, _ width: Int, digits: Int = 3) -> String {
        String(format: "%*.*f", width, digits, value)
    }
}
