import LinearAlgebra

extension StratifiedSplit {
    /// Splits row indices into train and test sets keeping every group (rows that share a group
    /// id, such as the rotated copies of one photo) wholly on one side, stratified by class as
    /// nearly as whole groups allow.
    ///
    /// Every group is filed under its *main label*: the most common label among its rows, the
    /// lowest such label on a tie. A group of mixed labels — all four rotations of one photo,
    /// labelled by angle — is therefore filed under one class; since such groups carry every class
    /// with them, holding out a share of them holds out that share of every class. Each class's
    /// groups (in ascending group id) are shuffled with the seeded generator, and
    /// `round(g_c · testFraction)` of them — at least one, at most `g_c − 1` — go to the test
    /// set. With every row its own group this is exactly `trainTest(labels:testFraction:seed:)`.
    ///
    /// - Parameters:
    ///   - labels: one label per row.
    ///   - groups: one group id per row.
    ///   - testFraction: the share of groups to hold out, strictly between 0 and 1.
    ///   - seed: the random seed (default 42).
    /// - Returns: the train and test row indices, ascending.
    /// - Throws: `ClassicMLError.invalidParameter` when `labels` and `groups` differ in length or
    ///   the fraction is outside (0, 1); `.tooFewSamples` when a class is the main label of a
    ///   single group (it cannot be on both sides).
    public static func trainTest(labels: [Int], groups: [Int], testFraction: Double,
                                 seed: UInt64 = 42) throws -> (train: [Int], test: [Int]) {
        try holdOut(groupsByClass(labels: labels, groups: groups), testFraction: testFraction, seed: seed) { label, count in
            "class \(label) is the main label of \(count) group (rows sharing a group id, such as copies of one photo); "
                + "a grouped split needs at least 2 groups per class: add rows of class \(label) from another source, or leave the class out"
        }
    }

    /// The groups filed under each main label (the most common label of the group's rows, the
    /// lowest on a tie): classes ascending, groups by their first row, rows ascending.
    /// - Throws: `ClassicMLError.invalidParameter` when `labels` and `groups` differ in length.
    static func groupsByClass(labels: [Int], groups: [Int]) throws -> [(label: Int, units: [[Int]])] {
        guard labels.count == groups.count else {
            throw ClassicMLError.invalidParameter(
                "\(labels.count) labels but \(groups.count) group ids; pass one group id per row")
        }
        // Groups in the order of their first row, so the result does not depend on how the ids
        // are numbered (with every row its own group, any ids give the ungrouped split).
        let rowsOfGroup = Dictionary(grouping: groups.indices, by: { groups[$0] }).sorted { $0.value[0] < $1.value[0] }
        var byClass = [Int: [[Int]]]()
        for (_, rows) in rowsOfGroup {
            let counts = Dictionary(rows.map { (labels[$0], 1) }, uniquingKeysWith: +)
            let main = counts.min { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }?.key ?? 0
            byClass[main, default: []].append(rows)
        }
        return byClass.map { (label: $0.key, units: $0.value) }.sorted { $0.label < $1.label }
    }
}
