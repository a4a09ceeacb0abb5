import Foundation

/// Whether one classifier is distinguishably better than another, from paired scores on the
/// same resamples — the question behind "statistically tied with the best".
public enum PairedComparison {
    /// The corrected resampled t-test of Nadeau & Bengio (2003) on per-fold score differences.
    ///
    /// Cross-validation folds share training rows, so the plain paired t-test is far too
    /// confident; the correction inflates the variance of the mean difference from `σ²/n` to
    /// `(1/n + n_test/n_train)·σ²` (Bouckaert & Frank 2004 use it for repeated k-fold too).
    /// - Parameters:
    ///   - differences: score of A minus score of B on each fold (k folds × r repeats).
    ///   - testToTrainRatio: rows held out per fold over rows trained on per fold (1/(k−1) for k folds).
    /// - Returns: the two-sided p-value; 1 when every difference is 0 (the pairs are
    ///   indistinguishable), 0 when every difference is the same non-zero value.
    public static func correctedResampledTTest(differences: [Double], testToTrainRatio: Double) -> Double {
        let n = Double(differences.count)
        guard n >= 2 else { return 1 }
        let mean = differences.reduce(0, +) / n
        let variance = differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        guard variance > 0 else { return mean == 0 ? 1 : 0 }
        let t = mean / ((1 / n + testToTrainRatio) * variance).squareRoot()
        return StudentT.twoSidedPValue(t, degrees: n - 1)
    }

    /// McNemar's exact test on one test set: of the rows the two classifiers disagree on, A is
    /// right on `aOnly` and B on `bOnly`; under "equally good" each is Binomial(aOnly + bOnly, ½).
    /// - Parameters:
    ///   - aOnly: rows only A predicts correctly.
    ///   - bOnly: rows only B predicts correctly.
    /// - Returns: the two-sided exact p-value (1 when they never disagree).
    public static func mcNemarExact(aOnly: Int, bOnly: Int) -> Double {
        let n = aOnly + bOnly
        guard n > 0 else { return 1 }
        // P(X ≤ min) for X ~ Binomial(n, ½), doubled and capped at 1.
        let k = min(aOnly, bOnly)
        var tail = 0.0
        for i in 0...k { tail += exp(lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1)) - Double(n) * log(2)) }
        return min(1, 2 * tail)
    }
}
