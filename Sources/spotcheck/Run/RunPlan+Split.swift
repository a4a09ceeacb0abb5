import ClassicML

extension RunPlan {
    /// The run's seeded, stratified train/test split of `rows`; with source groups, grouped so
    /// that the copies of one photo stay on one side.
    /// - Returns: the row indices of each side and, when grouped, the group of each row key (for
    ///   the cross-validation folds).
    /// - Throws: `ClassicMLError.tooFewSamples` when a class cannot be on both sides.
    func split(_ rows: [RunStores.Row]) throws -> (split: (train: [Int], test: [Int]), groupOf: [String: Int]?) {
        let labels = rows.map(\.label)
        guard let sourceGroups else {
            return (try StratifiedSplit.trainTest(labels: labels, testFraction: options.testFraction, seed: options.seed), nil)
        }
        let (groups, unlisted) = sourceGroups.groups(for: rows.map(\.key))
        if unlisted > 0 {
            Terminal.note("warning: \(unlisted) images are not listed in \(sourceGroups.file.path); each is its own group")
        }
        Terminal.note("spotcheck: \(Set(groups).count) source photos from \(sourceGroups.file.lastPathComponent); their copies stay on one side of every split")
        let split = try StratifiedSplit.trainTest(labels: labels, groups: groups, testFraction: options.testFraction,
                                                  seed: options.seed)
        return (split, Dictionary(zip(rows.map(\.key), groups), uniquingKeysWith: { first, _ in first }))
    }
}
