import LinearAlgebra

extension StratifiedSplit {
    /// Seeded stratified group k-fold cross-validation (scikit-learn's `StratifiedGroupKFold`
    /// with shuffling, by a different greedy): every group (rows sharing a group id, such as the
    /// rotated copies of one photo) lies in exactly one test fold, and every fold holds as nearly
    /// as possible the same share of each class.
    ///
    /// Groups are filed under their main label as in `trainTest(labels:groups:testFraction:seed:)`.
    /// Class by class (ascending), the class's groups are shuffled with the seeded generator, then
    /// taken largest first (ties in shuffled order); each goes to the fold where the classes of
    /// its rows are least represented so far — the smallest `Σ_c rows_c(group) · rows_c(fold) / rows_c`
    /// — then to the fold with the fewest rows, then to the lowest fold. Groups of equal size
    /// therefore spread evenly (fold counts of a class differ by at most one group), and a group
    /// carrying every class (all rotations of a photo) goes where the folds are smallest. With
    /// every row its own group this deals rows exactly as `kFold(labels:folds:seed:)`.
    ///
    /// - Parameters:
    ///   - labels: one label per row.
    ///   - groups: one group id per row.
    ///   - folds: the number of folds, at least 2 (default 5).
    ///   - seed: the random seed (default 42).
    /// - Returns: `folds` (train, test) pairs of ascending row indices; the tests partition the
    ///   rows and no group is on both sides of any pair.
    /// - Throws: `ClassicMLError.invalidParameter` for fewer than 2 folds or `labels` and
    ///   `groups` of different lengths; `.tooFewSamples` when a class is the main label of fewer
    ///   groups than folds.
    public static func kFold(labels: [Int], groups: [Int], folds: Int = 5,
                             seed: UInt64 = 42) throws -> [(train: [Int], test: [Int])] {
        try InputValidation.folds(labels, folds: folds)
        let strata = try groupsByClass(labels: labels, groups: groups)
        if let small = strata.first(where: { $0.units.count < folds }) {
            let fewer = small.units.count >= 2 ? "use at most \(small.units.count) folds, or " : ""
            throw ClassicMLError.tooFewSamples(
                "class \(small.label) is the main label of only \(small.units.count) groups (rows sharing a group id, such as copies of one photo); "
                    + "grouped \(folds)-fold cross-validation needs at least \(folds) per class: \(fewer)add rows of class \(small.label) from other sources")
        }
        let byClass = rowsByClass(labels)
        let classIndex = Dictionary(uniqueKeysWithValues: byClass.enumerated().map { ($1.label, $0) })
        let classRows = byClass.map { Double($0.rows.count) }
        var generator = SeededGenerator(seed: seed)
        var tests = [[Int]](repeating: [], count: folds)
        var counts = [[Double]](repeating: [Double](repeating: 0, count: byClass.count), count: folds)
        for stratum in strata {
            let order = stratum.units.shuffled(using: &generator).enumerated()
                .sorted { ($0.element.count, $1.offset) > ($1.element.count, $0.offset) }
            for (_, rows) in order {
                // The group's rows per class, in class order (a fixed summation order).
                let share = Dictionary(rows.map { (classIndex[labels[$0]] ?? 0, 1.0) }, uniquingKeysWith: +)
                    .sorted { $0.key < $1.key }
                func crowding(_ fold: Int) -> Double {
                    share.reduce(0) { $0 + $1.value * counts[fold][$1.key] / classRows[$1.key] }
                }
                let fold = (0..<folds).min {
                    (crowding($0), tests[$0].count, $0) < (crowding($1), tests[$1].count, $1)
                } ?? 0
                tests[fold] += rows
                for (c, n) in share { counts[fold][c] += n }
            }
        }
        return splits(testing: tests, rowCount: labels.count)
    }
}
