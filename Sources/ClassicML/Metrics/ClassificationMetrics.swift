/// Classification metrics computed once from true and predicted labels, with scikit-learn's
/// definitions: labels are the sorted union of both lists, a ratio with a zero denominator is 0
/// (scikit-learn's `zero_division="warn"` value), and F1 is `2·tp / (2·tp + fp + fn)`.
public struct ClassificationMetrics: Sendable, Equatable {
    /// The labels every per-class array refers to: the sorted union of truth and predictions.
    public let labels: [Int]
    /// `confusion[i][j]`: samples of `labels[i]` predicted as `labels[j]`.
    public let confusion: [[Int]]
    /// Per-class precision, `tp / (tp + fp)`.
    public let precision: [Double]
    /// Per-class recall, `tp / (tp + fn)`.
    public let recall: [Double]
    /// Per-class F1 score.
    public let f1: [Double]
    /// Per-class number of true samples.
    public let support: [Int]

    /// Computes every metric from one pair of label lists.
    /// - Parameters:
    ///   - truth: the true labels.
    ///   - predicted: the predicted labels, one per true label.
    /// - Throws: `ClassicMLError.shapeMismatch` when the lists differ in length or are empty.
    public init(truth: [Int], predicted: [Int]) throws {
        guard truth.count == predicted.count, !truth.isEmpty else {
            throw ClassicMLError.shapeMismatch(
                "\(truth.count) true labels but \(predicted.count) predictions; pass one prediction per sample")
        }
        let labels = Array(Set(truth).union(predicted)).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (t, p) in zip(truth, predicted) {
            if let i = index[t], let j = index[p] { confusion[i][j] += 1 }
        }
        let ratio = { (num: Int, den: Int) -> Double in den == 0 ? 0 : Double(num) / Double(den) }
        let tp = labels.indices.map { confusion[$0][$0] }
        let support = confusion.map { $0.reduce(0, +) }
        let predictedCount = labels.indices.map { j in confusion.reduce(0) { $0 + $1[j] } }
        self.labels = labels
        self.confusion = confusion
        self.support = support
        precision = labels.indices.map { ratio(tp[$0], predictedCount[$0]) }
        recall = labels.indices.map { ratio(tp[$0], support[$0]) }
        f1 = labels.indices.map { ratio(2 * tp[$0], support[$0] + predictedCount[$0]) }
    }

    /// The share of correct predictions.
    public var accuracy: Double {
        Double(labels.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(support.reduce(0, +))
    }

    /// The mean recall over the classes that occur in the truth.
    public var balancedAccuracy: Double {
        let present = labels.indices.filter { support[$0] > 0 }
        return present.reduce(0) { $0 + recall[$1] } / Double(present.count)
    }

    /// The unweighted mean F1 over all labels.
    public var macroF1: Double { mean(f1) }

    /// The unweighted mean precision over all labels.
    public var macroPrecision: Double { mean(precision) }

    /// The unweighted mean recall over all labels.
    public var macroRecall: Double { mean(recall) }

    /// The support-weighted mean of `values` (one per label).
    /// - Parameter values: a per-class metric, e.g. `precision`.
    /// - Returns: `Σ values[i]·support[i] / Σ support[i]`.
    public func weightedAverage(_ values: [Double]) -> Double {
        let total = support.reduce(0, +)
        return zip(values, support).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(total)
    }

    private func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }
}
