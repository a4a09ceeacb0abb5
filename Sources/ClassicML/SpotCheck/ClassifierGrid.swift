/// One named classifier configuration of the spot-check grid: how to make it and whether its
/// input is standardised first.
public struct GridEntry: Sendable {
    /// The name in reports and on the command line, in the cookbook's style (`LinearSVC-0.01`).
    public let name: String
    /// Fit a `StandardScaler` on the training rows and apply it before this classifier.
    public let scaled: Bool
    /// A fresh, unfitted classifier.
    public let make: @Sendable () -> any PersistableClassifier

    /// Creates an entry.
    public init(name: String, scaled: Bool, make: @escaping @Sendable () -> any PersistableClassifier) {
        self.name = name
        self.scaled = scaled
        self.make = make
    }
}

/// The spot-check grid: the cookbook's classifier families with settings that suit pooled CNN
/// features, scaled where the method needs it (linear models trained by gradient steps or with a
/// penalty that depends on feature scale); neighbours, trees and centroids see raw features.
public enum ClassifierGrid {
    /// Every entry, in report order.
    public static func defaultEntries(seed: UInt64 = 42) -> [GridEntry] {
        var entries = [GridEntry(name: "LogisticRegression", scaled: true) { LogisticRegression() }]
        for c in [0.001, 0.01, 0.1, 1.0] {
            entries.append(GridEntry(name: "LinearSVC-\(format(c))", scaled: true) { LinearSVC(c: c) })
        }
        for k in [1, 3, 5, 7] {
            entries.append(GridEntry(name: "KNeighborsClf-\(k)", scaled: false) { KNeighborsClassifier(neighbors: k) })
        }
        entries += [
            GridEntry(name: "RandomForestClf-100", scaled: false) { RandomForestClassifier(trees: 100, seed: seed) },
            GridEntry(name: "ExtraTreesClf-100", scaled: false) { ExtraTreesClassifier(trees: 100, seed: seed) },
            GridEntry(name: "SGDClf", scaled: true) { SGDClassifier(seed: seed) },
            GridEntry(name: "PAClf", scaled: true) { PassiveAggressiveClassifier(seed: seed) },
        ]
        for alpha in [0.1, 1.0, 10.0] {
            entries.append(GridEntry(name: "RidgeClf-\(format(alpha))", scaled: true) { RidgeClassifier(alpha: alpha) })
        }
        entries.append(GridEntry(name: "NearestCentroid", scaled: false) { NearestCentroid() })
        return entries
    }

    /// The entries named in `names`: grid entries in the grid's order, then any other name that
    /// ``entry(named:seed:)`` accepts (`LogisticRegressionCV`, `LinearSVC-0.05`, …) in the given order.
    /// - Throws: `ClassicMLError.invalidParameter` naming an unknown classifier and listing the known ones.
    public static func entries(named names: [String], seed: UInt64 = 42) throws -> [GridEntry] {
        let all = defaultEntries(seed: seed)
        var extra = [GridEntry]()
        for name in names where !all.contains(where: { $0.name == name }) && !extra.contains(where: { $0.name == name }) {
            extra.append(try entry(named: name, seed: seed))
        }
        return all.filter { names.contains($0.name) } + extra
    }

    /// `0.001` → `"0.001"`, `1.0` → `"1"`, `10.0` → `"10"`: the cookbook's spelling.
    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
