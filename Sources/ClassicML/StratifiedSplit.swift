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
        let strata = rowsByClass(labels).map { (label: $0.label, units: $0.rows.map { [$0] }) }
        return try holdOut(strata, testFraction: testFraction, seed: seed) { label, count in
            "class \(label) has \(count) sample; a stratified split needs at least 2 per class"
        }
    }

    /// Holds out whole units (single rows, or the rows of one group) stratum by stratum: each
    /// stratum's units are shuffled with the seeded generator and `round(u · testFraction)` of
    /// them, at least one and at most `u − 1`, go to the test set.
    /// - Parameters:
    ///   - strata: the units of every stratum, strata and units in a fixed (ascending) order.
    ///   - testFraction: the share of units to hold out, strictly between 0 and 1.
    ///   - seed: the random seed.
    ///   - tooFew: the `tooFewSamples` message for a stratum of `count` < 2 units.
    /// - Returns: the train and test row indices, ascending.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad fraction; `.tooFewSamples` for a
    ///   stratum of fewer than two units.
    static func holdOut(_ strata: [(label: Int, units: [[Int]])], testFraction: Double, seed: UInt64,
                        tooFew: (_ label: Int, _ count: Int) -> String) throws -> (train: [Int], test: [Int]) {
        guard testFraction > 0, testFraction < 1 else {
            throw ClassicMLError.invalidParameter("test fraction must be between 0 and 1, got \(testFraction)")
        }
        var generator = SeededGenerator(seed: seed)
        var train = [Int](), test = [Int]()
        for (label, units) in strata {
            guard units.count >= 2 else { throw ClassicMLError.tooFewSamples(tooFew(label, units.count)) }
            let shuffled = units.shuffled(using: &generator)
            let held = min(units.count - 1, max(1, Int((Double(units.count) * testFraction).rounded())))
            test += shuffled[..<held].joined()
            train += shuffled[held...].joined()
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
