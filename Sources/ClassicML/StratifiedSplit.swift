import LinearAlgebra

/// Seeded, stratified train/test splitting: every class keeps (as nearly as rounding allows)
/// the same share in the test set, and the same seed gives the same split on every machine.
public enum StratifiedSplit {
    /// Splits row indices `0..<labels.count` into train and test sets.
    ///
    /// Each class's rows are shuffled with the seeded generator and `round(n_c · testFraction)`
    /// of them (at least one, and at most `n_c − 1`) go to the test set. Both index lists are
    /// returned in ascending order.
    ///
    /// - Parameters:
    ///   - labels: one label per row.
    ///   - testFraction: the share of rows to hold out, strictly between 0 and 1.
    ///   - seed: the random seed (default 42).
    /// - Returns: the train and test row indices.
    /// - Throws: `ClassicMLError.invalidParameter` for a fraction outside (0, 1);
    ///   `.tooFewSamples` when a class has fewer than two rows (it cannot be on both sides).
    public static func trainTest(labels: [Int], testFraction: Double,
                                 seed: UInt64 = 42) throws -> (train: [Int], test: [Int]) {
        guard testFraction > 0, testFraction < 1 else {
            throw ClassicMLError.invalidParameter("test fraction must be between 0 and 1, got \(testFraction)")
        }
        var generator = SeededGenerator(seed: seed)
        var train = [Int](), test = [Int]()
        for (label, rows) in rowsByClass(labels) {
            guard rows.count >= 2 else {
                throw ClassicMLError.tooFewSamples(
                    "class \(label) has \(rows.count) sample; a stratified split needs at least 2 per class")
            }
            let shuffled = rows.shuffled(using: &generator)
            let held = min(rows.count - 1, max(1, Int((Double(rows.count) * testFraction).rounded())))
            test += shuffled[..<held]
            train += shuffled[held...]
        }
        return (train.sorted(), test.sorted())
    }

    /// The rows of each class, classes in ascending order, rows in ascending order.
    static func rowsByClass(_ labels: [Int]) -> [(label: Int, rows: [Int])] {
        Dictionary(grouping: labels.indices, by: { labels[$0] })
            .map { (label: $0.key, rows: $0.value) }
            .sorted { $0.label < $1.label }
    }
}
