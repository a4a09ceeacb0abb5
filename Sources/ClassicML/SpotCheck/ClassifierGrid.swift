/// The spot-check's grids of classifier configurations, by name.
public enum ClassifierGrid: String, CaseIterable, Sendable {
    /// Fast and broad: the linear models with short sweeps of their penalties, k = 1, 3, 5, 7, the
    /// forests, and every newer family that fits in a moment (DecisionTree, ExtraTree, SVC, MLP,
    /// GaussianNB, LDA) — 23 entries. The 100-round ensembles (AdaBoost, Bagging, GradientBoosting,
    /// HistGradientBoosting) cost a hundred fits each under k-fold cross-validation and are in
    /// `cookbook` and `full`.
    case `default`
    /// The cookbook's 40 entries with its exact names, so its report readers line up.
    case cookbook
    /// Everything: the default grid, the cookbook's, `HistGradientBoostingClf` and `LogisticRegressionCV`.
    case full

    /// The grid called `name` (`default`, `cookbook` or `full`, in any case).
    /// - Parameter name: the grid's name.
    /// - Throws: `ClassicMLError.invalidParameter` naming the grids for any other name.
    public init(parsing name: String) throws {
        guard let grid = Self(rawValue: name.lowercased()) else {
            throw ClassicMLError.invalidParameter(
                "unknown grid \(name); the grids are " + Self.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = grid
    }

    /// The grid's configurations, in report order.
    public var specs: [ClassifierSpec] {
        switch self {
        case .default:
            return [.logisticRegression()] + [0.001, 0.01, 0.1, 1].map { .linearSVC(c: $0) }
                + [1, 3, 5, 7].map { .kNeighbors(k: $0) }
                + [.randomForest(), .extraTrees(), .sgd(), .passiveAggressive()]
                + [0.1, 1, 10].map { .ridge(alpha: $0) }
                + [.nearestCentroid, .decisionTree(), .extraTree(), .svc(), .mlp(), .gaussianNB(), .lda]
        case .cookbook:
            // Families in alphabetical order, as the cookbook's report lists them.
            let specs: [ClassifierSpec] = [.adaBoost(estimators: 100), .bagging(trees: 100), .decisionTree(), .extraTree(),
                                           .extraTrees(), .gradientBoosting()]
                + (3...24).map { .kNeighbors(k: $0) }
                + [0.001, 0.01, 1, 10].map { .linearSVC(c: $0) }
                + [.logisticRegression(), .passiveAggressive(), .randomForest()]
                + [0.001, 0.01, 1, 10].map { .ridge(alpha: $0) } + [.sgd()]
            return specs
        case .full:
            var all = Self.default.specs
            for spec in Self.cookbook.specs + [.histGradientBoosting(), .logisticRegressionCV()] where !all.contains(spec) { all.append(spec) }
            return all
        }
    }
}
