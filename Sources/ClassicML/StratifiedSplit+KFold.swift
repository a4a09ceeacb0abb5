import LinearAlgebra

extension StratifiedSplit {
    /// Seeded stratified k-fold cross-validation: every fold holds (as nearly as possible) the
    /// same share of each class.
    ///
    /// Each class's rows are shuffled with the seeded generator and dealt round-robin to the
    /// folds; the dealing continues where the previous class stopped, so fold sizes differ by at
    /// most one. A class with fewer rows than folds is simply absent from some test folds.
    ///
    /// - Parameters:
    ///   - labels: one label per row.
    ///   - folds: the number of folds, at least 2 (default 5).
    ///   - seed: the random seed (default 42).
    /// - Returns: `folds` (train, test) pairs of ascending row indices; the tests partition the rows.
    /// - Throws: `ClassicMLError.invalidParameter` for fewer than 2 folds; `.tooFewSamples` for
    ///   fewer rows than folds.
    public static func kFold(labels: [Int], folds: Int = 5,
                             seed: UInt64 = 42) throws -> [(train: [Int], test: [Int])] {
        try InputValidation.folds(labels, folds: folds)
        var generator = SeededGenerator(seed: seed)
        var tests = [[Int]](repeating: [], count: folds)
        var next = 0
        for (_, rows) in rowsByClass(labels) {
            for row in rows.shuffled(using: &generator) {
                tests[next].append(row)
                next = (next + 1) % folds
            }
        }
        return splits(testing: tests, rowCount: labels.count)
    }

    /// One (train, test) pair per test list: the test rows ascending, the train rows all other
    /// rows of `0..<rowCount`, ascending.
    static func splits(testing tests: [[Int]], rowCount: Int) -> [(train: [Int], test: [Int])] {
        tests.map { test in
            let held = Set(test)
            return ((0..<rowCount).filter { !held.contains($0) }, test.sorted())
        }
    }
}
