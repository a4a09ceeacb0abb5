import ClassicML

/// How the winner is chosen and which pairs cannot be told apart from it.
///
/// Pairs are ranked by their cross-validated mean accuracy on the training rows (higher first),
/// then by the spread of their fold scores (lower first), then by extractor order and grid order —
/// never by the test split, which is kept for the winner's honest estimate. Without
/// cross-validation they are ranked by test accuracy, then by extractor and grid order.
///
/// A pair is "statistically tied with the best" when a two-sided test at `alpha` cannot tell it
/// from the winner: the corrected resampled t-test (Nadeau & Bengio) on the paired fold scores,
/// or, without folds, McNemar's exact test on the paired test predictions.
public enum Selection {
    /// The significance level of the tie test.
    public static let alpha = 0.05
    /// The tie test's name in the report.
    public static func tieTest(crossValidated: Bool) -> String {
        crossValidated ? "Nadeau–Bengio corrected resampled t-test on the fold scores"
            : "McNemar's exact test on the test predictions"
    }
    /// The tie-break in words.
    public static let tieBreak = "higher cross-validated mean, then lower fold spread, then extractor order, then grid order"

    /// A pair's place in the ranking; smaller sorts first.
    struct Key: Comparable {
        var score: Double
        var spread: Double
        var extractor: Int
        var classifier: Int

        static func < (a: Key, b: Key) -> Bool {
            if a.score != b.score { return a.score > b.score }
            if a.spread != b.spread { return a.spread < b.spread }
            if a.extractor != b.extractor { return a.extractor < b.extractor }
            return a.classifier < b.classifier
        }
    }

    /// The ranking key of a scored pair, or nil for a failed one.
    static func key(_ result: SpotcheckReport.PairResult, extractor: Int, classifier: Int) -> Key? {
        if let mean = result.cvMean {
            return Key(score: mean, spread: result.cvStd ?? 0, extractor: extractor, classifier: classifier)
        }
        return result.accuracy.map { Key(score: $0, spread: 0, extractor: extractor, classifier: classifier) }
    }

    /// The p-value of "`other` is as good as `best`".
    /// - Parameters:
    ///   - best: the winner's scores.
    ///   - other: another pair's scores.
    ///   - plan: the cross-validation both were scored with.
    /// - Returns: the two-sided p-value, or nil when the pairs cannot be compared.
    static func pValue(best: PairScores, other: PairScores, plan: CrossValidationPlan) -> Double? {
        if plan.folds >= 2 {
            guard best.folds.count == other.folds.count, !best.folds.isEmpty else { return nil }
            return PairedComparison.correctedResampledTTest(differences: zip(best.folds, other.folds).map { $0 - $1 },
                                                            testToTrainRatio: plan.testToTrainRatio)
        }
        guard best.testCorrect.count == other.testCorrect.count, !best.testCorrect.isEmpty else { return nil }
        let pairs = zip(best.testCorrect, other.testCorrect)
        return PairedComparison.mcNemarExact(aOnly: pairs.filter { $0 && !$1 }.count, bOnly: pairs.filter { !$0 && $1 }.count)
    }
}

/// What the tie test needs of a scored pair.
struct PairScores: Sendable {
    /// Accuracy on each resample, in plan order.
    var folds: [Double]
    /// Whether each test row was predicted correctly.
    var testCorrect: [Bool]
}
