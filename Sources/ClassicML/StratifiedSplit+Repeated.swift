extension StratifiedSplit {
    /// The most folds stratified (or, with `groups`, stratified group) k-fold cross-validation
    /// can make so that every class appears in every test fold: the smallest class's row count,
    /// or the smallest number of groups a class is the main label of.
    /// - Parameters:
    ///   - labels: one label per row.
    ///   - groups: one group id per row, or nil when every row stands alone.
    /// - Returns: the largest usable k (below 2, cross-validation is not possible).
    /// - Throws: `ClassicMLError.invalidParameter` when `labels` and `groups` differ in length.
    public static func maximumFolds(labels: [Int], groups: [Int]? = nil) throws -> Int {
        if let groups {
            return try groupsByClass(labels: labels, groups: groups).map(\.units.count).min() ?? 0
        }
        return rowsByClass(labels).map(\.rows.count).min() ?? 0
    }

    /// Repeated stratified (group) k-fold: `repeats` runs of k-fold, each with its own seed
    /// (`seed`, `seed + 1`, …), so every row is tested `repeats` times.
    /// - Parameters:
    ///   - labels: one label per row.
    ///   - groups: one group id per row, or nil when every row stands alone.
    ///   - folds: folds per repeat, at least 2.
    ///   - repeats: repeats, at least 1.
    ///   - seed: the first repeat's seed.
    /// - Returns: `folds × repeats` (train, test) pairs, repeat by repeat.
    /// - Throws: as `kFold(labels:folds:seed:)` and `kFold(labels:groups:folds:seed:)`;
    ///   `ClassicMLError.invalidParameter` for fewer than one repeat.
    public static func repeatedKFold(labels: [Int], groups: [Int]? = nil, folds: Int, repeats: Int,
                                     seed: UInt64) throws -> [(train: [Int], test: [Int])] {
        guard repeats >= 1 else { throw ClassicMLError.invalidParameter("repeats must be at least 1, got \(repeats)") }
        return try (0..<UInt64(repeats)).flatMap { round in
            try groups.map { try kFold(labels: labels, groups: $0, folds: folds, seed: seed &+ round) }
                ?? kFold(labels: labels, folds: folds, seed: seed &+ round)
        }
    }
}
