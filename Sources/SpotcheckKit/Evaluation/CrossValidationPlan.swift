import ClassicML

/// The resamples of the training rows that rank the pairs: stratified (or, with source groups,
/// stratified group) k-fold, repeated, shared by every extractor so that pairs are compared on
/// the same folds. When a class is too small for the folds asked for, the largest k that works is
/// used and the plan says so; below 2 folds the pairs are ranked by the test split alone.
public struct CrossValidationPlan: Sendable {
    /// Folds asked for.
    public let requestedFolds: Int
    /// Folds used (0: none).
    public let folds: Int
    /// Repeats of the k-fold.
    public let repeats: Int
    /// (train, test) positions into the split's training keys, `folds × repeats` of them.
    public let resamples: [(train: [Int], test: [Int])]
    /// Why fewer folds than asked for are used, if they are.
    public let note: String?

    /// The resamples for the training rows of `split`.
    /// - Parameters:
    ///   - split: the run's split.
    ///   - labelOf: the label of each row key.
    ///   - options: folds, repeats and seed.
    /// - Throws: `ClassicMLError` when folds that should work cannot be made.
    public init(split: RunSplit, labelOf: [String: Int], options: SplitOptions) throws {
        requestedFolds = options.folds
        repeats = max(1, options.repeats)
        let labels = split.trainKeys.map { labelOf[$0] ?? -1 }
        let groups = split.groupOf.map { groupOf in split.trainKeys.enumerated().map { groupOf[$1] ?? -1 - $0 } }
        let possible = options.folds >= 2 ? try StratifiedSplit.maximumFolds(labels: labels, groups: groups) : 0
        let folds = possible >= 2 ? min(options.folds, possible) : 0
        self.folds = folds
        let unit = groups == nil ? "training images" : "source photos in the training rows"
        if options.folds >= 2, folds == 0 {
            note = "the smallest class has \(possible) \(unit), too few for cross-validation; pairs are ranked by the test split"
        } else if folds < options.folds, folds > 0 {
            note = "the smallest class has \(possible) \(unit), so \(folds)-fold cross-validation is used instead of \(options.folds)-fold"
        } else {
            note = nil
        }
        resamples = folds == 0 ? [] : try StratifiedSplit.repeatedKFold(labels: labels, groups: groups, folds: folds,
                                                                       repeats: repeats, seed: options.seed)
    }

    /// Rows held out per fold over rows trained on per fold: the correction of the resampled t-test.
    public var testToTrainRatio: Double { folds >= 2 ? 1 / Double(folds - 1) : 0 }

    /// The protocol in words, for the report.
    public var description: String {
        guard folds >= 2 else { return "ranked by accuracy on the test split (no cross-validation)" }
        return "ranked by \(folds)-fold stratified cross-validation on the training rows"
            + (repeats > 1 ? ", repeated \(repeats)×" : "") + "; the winner is then scored once on the untouched test split"
    }
}
