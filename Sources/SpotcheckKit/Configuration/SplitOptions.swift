/// How rows are divided for scoring: the held-out share, the seed of every random choice, and
/// optional cross-validation folds.
public struct SplitOptions: Sendable, Equatable {
    /// Share of each class held out for testing, in (0, 1).
    public var testFraction: Double
    /// Seed of the split, the folds and randomised classifiers.
    public var seed: UInt64
    /// Cross-validation folds (nil: none).
    public var folds: Int?

    /// Split options; the defaults are the cookbook's 80/20 split with seed 42.
    /// - Parameters:
    ///   - testFraction: share of each class held out for testing.
    ///   - seed: seed of every random choice.
    ///   - folds: cross-validation folds, or nil.
    public init(testFraction: Double = 0.2, seed: UInt64 = 42, folds: Int? = nil) {
        self.testFraction = testFraction
        self.seed = seed
        self.folds = folds
    }
}
