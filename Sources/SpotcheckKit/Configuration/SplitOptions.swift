/// How rows are divided for scoring and choosing: the held-out share, the seed of every random
/// choice, and the cross-validation that ranks the pairs on the training rows.
public struct SplitOptions: Sendable, Equatable {
    /// Share of each class held out for testing, in (0, 1).
    public var testFraction: Double
    /// Seed of the split, the folds and randomised classifiers.
    public var seed: UInt64
    /// Cross-validation folds on the training rows that rank the pairs (0: rank by the test
    /// split alone, the cookbook's way).
    public var folds: Int
    /// Repeats of the k-fold cross-validation, each with its own seed (for small sets).
    public var repeats: Int

    /// Split options; the defaults hold out 20 % with seed 42 and rank by 5-fold
    /// cross-validation on the rest.
    /// - Parameters:
    ///   - testFraction: share of each class held out for testing.
    ///   - seed: seed of every random choice.
    ///   - folds: cross-validation folds (0: none).
    ///   - repeats: repeats of the cross-validation.
    public init(testFraction: Double = 0.2, seed: UInt64 = 42, folds: Int = 5, repeats: Int = 1) {
        self.testFraction = testFraction
        self.seed = seed
        self.folds = folds
        self.repeats = repeats
    }
}
