import Foundation

extension ClassificationMetrics {
    /// A text report laid out exactly like scikit-learn's `classification_report`: one line per
    /// class with precision, recall, F1 and support, then the accuracy, macro-average and
    /// weighted-average lines.
    ///
    /// - Parameters:
    ///   - targetNames: display names, one per entry of `labels`; the labels themselves when nil.
    ///   - digits: decimals of the ratios (default 2, as scikit-learn).
    /// - Returns: the report, ending with a newline.
    /// - Throws: `ClassicMLError.shapeMismatch` when `targetNames` does not match `labels`.
    public func report(targetNames: [String]? = nil, digits: Int = 2) throws -> String {
        let names = targetNames ?? labels.map(String.init)
        guard names.count == labels.count else {
            throw ClassicMLError.shapeMismatch(
                "\(names.count) target names for \(labels.count) labels; pass one name per label")
        }
        let lastHeading = "weighted avg"
        let width = max(names.map(\.count).max() ?? 0, lastHeading.count, digits)
        let pad = { (text: String, to: Int) in String(repeating: " ", count: max(0, to - text.count)) + text }
        let ratio = { (value: Double) in pad(String(format: "%.\(digits)f", value), 9) }
        let total = support.reduce(0, +)

        var text = pad("", width) + " " + ["precision", "recall", "f1-score", "support"]
            .map { " " + pad($0, 9) }.joined() + "\n\n"
        func line(_ heading: String, _ values: [Double], _ count: Int) -> String {
            pad(heading, width) + " " + values.map { " " + ratio($0) }.joined() + " " + pad(String(count), 9) + "\n"
        }
        for (i, name) in names.enumerated() {
            text += line(name, [precision[i], recall[i], f1[i]], support[i])
        }
        text += "\n"
        text += pad("accuracy", width) + " " + " " + pad("", 9) + " " + pad("", 9)
            + " " + ratio(accuracy) + " " + pad(String(total), 9) + "\n"
        text += line("macro avg", [macroPrecision, macroRecall, macroF1], total)
        text += line(lastHeading, [weightedAverage(precision), weightedAverage(recall), weightedAverage(f1)], total)
        return text
    }
}
