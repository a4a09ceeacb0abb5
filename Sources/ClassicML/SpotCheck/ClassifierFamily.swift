/// A classifier family of the spot-check: its name, what it is, its hyper-parameters with their
/// defaults, and how its configurations are named (see ``ClassifierSpec``).
public enum ClassifierFamily: String, CaseIterable, Sendable {
    case logisticRegression = "LogisticRegression"
    case logisticRegressionCV = "LogisticRegressionCV"
    case linearSVC = "LinearSVC"
    case sgd = "SGDClf"
    case passiveAggressive = "PAClf"
    case ridge = "RidgeClf"
    case kNeighbors = "KNeighborsClf"
    case nearestCentroid = "NearestCentroid"
    case randomForest = "RandomForestClf"
    case extraTrees = "ExtraTreesClf"
    case decisionTree = "DecisionTreeClf"
    case extraTree = "ExtraTreeClf"
    case bagging = "BaggingClf"
    case adaBoost = "AdaBoostClf"
    case gradientBoosting = "GradientBoostingClf"
    case histGradientBoosting = "HistGradientBoostingClf"
    case svc = "SVC"
    case mlp = "MLPClf"
    case gaussianNB = "GaussianNB"
    case lda = "LDA"

    /// The family's name in classifier names and reports (the cookbook's spelling).
    public var name: String { rawValue }

    /// The scikit-learn estimator it reproduces and how; one line.
    public var summary: String {
        switch self {
        case .logisticRegression: return "LogisticRegression: L2, lbfgs, multinomial"
        case .logisticRegressionCV: return "LogisticRegressionCV: C from logspace(-4, 4, 10) by stratified k-fold"
        case .linearSVC: return "LinearSVC: squared hinge, L2, one-vs-rest (liblinear)"
        case .sgd: return "SGDClassifier: 'optimal' learning rate, L2"
        case .passiveAggressive: return "PassiveAggressiveClassifier: PA-I"
        case .ridge: return "RidgeClassifier: ridge regression on ±1 targets"
        case .kNeighbors: return "KNeighborsClassifier: brute force"
        case .nearestCentroid: return "NearestCentroid"
        case .randomForest: return "RandomForestClassifier: gini, √d features per split, bootstrap"
        case .extraTrees: return "ExtraTreesClassifier: gini, random thresholds, √d features per split"
        case .decisionTree: return "DecisionTreeClassifier: CART, gini, best split, features in index order"
        case .extraTree: return "ExtraTreeClassifier: one extremely randomised tree"
        case .bagging: return "BaggingClassifier of decision trees"
        case .adaBoost: return "AdaBoostClassifier: SAMME over depth-1 stumps"
        case .gradientBoosting: return "GradientBoostingClassifier: depth-limited trees on the multinomial deviance (histogram splits)"
        case .histGradientBoosting: return "HistGradientBoostingClassifier: 255 bins, leaf-wise, early stopping off"
        case .svc: return "SVC: RBF kernel, one-vs-one (libsvm)"
        case .mlp: return "MLPClassifier: one hidden ReLU layer, Adam, early stopping off"
        case .gaussianNB: return "GaussianNB"
        case .lda: return "LinearDiscriminantAnalysis: svd solver"
        }
    }

    /// The hyper-parameters a spec of this family can set, with their defaults.
    public var parameters: [ClassifierParameter] {
        let defaults = defaultSpec.parameterValues
        return zip(parameterShapes, defaults).map { shape, value in
            ClassifierParameter(name: shape.name, kind: shape.kind, defaultValue: value.text)
        }
    }

    /// How a name of this family is written when only its headline parameter is set:
    /// `LinearSVC-<C>`, `KNeighborsClf-<k>`, or just the family name.
    public var usage: String {
        guard let dash = dashParameter else { return name }
        let shape = parameterShapes[dash]
        return dashAlwaysShown ? "\(name)-<\(shape.name)>" : "\(name)[-<\(shape.name)>]"
    }

    /// Whether its input is standardised first (see ``ClassifierSpec/standardized``).
    public var standardized: Bool {
        switch self {
        case .logisticRegression, .logisticRegressionCV, .linearSVC, .sgd, .passiveAggressive, .ridge, .svc, .mlp:
            return true
        case .kNeighbors, .nearestCentroid, .randomForest, .extraTrees, .decisionTree, .extraTree, .bagging,
             .adaBoost, .gradientBoosting, .histGradientBoosting, .gaussianNB, .lda:
            return false
        }
    }

    /// The family's configuration with every parameter at its default.
    public var defaultSpec: ClassifierSpec {
        switch self {
        case .logisticRegression: return .logisticRegression()
        case .logisticRegressionCV: return .logisticRegressionCV()
        case .linearSVC: return .linearSVC()
        case .sgd: return .sgd()
        case .passiveAggressive: return .passiveAggressive()
        case .ridge: return .ridge()
        case .kNeighbors: return .kNeighbors()
        case .nearestCentroid: return .nearestCentroid
        case .randomForest: return .randomForest()
        case .extraTrees: return .extraTrees()
        case .decisionTree: return .decisionTree()
        case .extraTree: return .extraTree()
        case .bagging: return .bagging()
        case .adaBoost: return .adaBoost()
        case .gradientBoosting: return .gradientBoosting()
        case .histGradientBoosting: return .histGradientBoosting()
        case .svc: return .svc()
        case .mlp: return .mlp()
        case .gaussianNB: return .gaussianNB()
        case .lda: return .lda
        }
    }

    /// Other names accepted for the family: scikit-learn's class names.
    var aliases: [String] {
        switch self {
        case .logisticRegression, .logisticRegressionCV, .linearSVC, .nearestCentroid, .gaussianNB, .svc: return []
        case .sgd: return ["SGDClassifier"]
        case .passiveAggressive: return ["PassiveAggressiveClassifier"]
        case .ridge: return ["RidgeClassifier"]
        case .kNeighbors: return ["KNeighborsClassifier"]
        case .randomForest: return ["RandomForestClassifier"]
        case .extraTrees: return ["ExtraTreesClassifier"]
        case .decisionTree: return ["DecisionTreeClassifier"]
        case .extraTree: return ["ExtraTreeClassifier"]
        case .bagging: return ["BaggingClassifier"]
        case .adaBoost: return ["AdaBoostClassifier"]
        case .gradientBoosting: return ["GradientBoostingClassifier"]
        case .histGradientBoosting: return ["HistGradientBoostingClassifier"]
        case .mlp: return ["MLPClassifier"]
        case .lda: return ["LinearDiscriminantAnalysis"]
        }
    }

    /// The position in `parameters` of the one written after a dash (`LinearSVC-0.01`), if any.
    var dashParameter: Int? {
        switch self {
        case .logisticRegression, .linearSVC, .ridge, .kNeighbors, .randomForest, .extraTrees, .bagging, .adaBoost,
             .gradientBoosting:
            return 0
        default:
            return nil
        }
    }

    /// Whether the dash parameter is always written, even at its default (`LinearSVC-1`, as the
    /// cookbook); otherwise it appears only when it differs (`LogisticRegression-0.5`).
    var dashAlwaysShown: Bool { self != .logisticRegression }

    /// Each parameter's name and kind, in order (the defaults come from `defaultSpec`).
    var parameterShapes: [(name: String, kind: ClassifierParameter.Kind)] {
        switch self {
        case .logisticRegression, .linearSVC, .passiveAggressive: return [("C", .positive)]
        case .logisticRegressionCV: return [("folds", .count(minimum: 2))]
        case .sgd: return [("loss", .choice(SGDClassifier.Loss.allCases.map(\.rawValue))), ("alpha", .positive)]
        case .ridge: return [("alpha", .positive)]
        case .kNeighbors:
            return [("k", .count(minimum: 1)), ("weights", .choice(["uniform", "distance"])),
                    ("metric", .choice(["euclidean", "cosine"]))]
        case .nearestCentroid, .lda: return []
        case .randomForest, .extraTrees: return [("trees", .count(minimum: 1)), ("max_depth", .countOrNone)]
        case .decisionTree, .extraTree: return [("max_depth", .countOrNone)]
        case .bagging: return [("trees", .count(minimum: 1))]
        case .adaBoost: return [("estimators", .count(minimum: 1)), ("learning_rate", .positive)]
        case .gradientBoosting:
            return [("estimators", .count(minimum: 1)), ("learning_rate", .positive), ("max_depth", .count(minimum: 1))]
        case .histGradientBoosting:
            return [("max_iter", .count(minimum: 1)), ("learning_rate", .positive), ("max_leaf_nodes", .count(minimum: 2))]
        case .svc: return [("C", .positive), ("gamma", .gamma)]
        case .mlp: return [("hidden", .count(minimum: 1)), ("alpha", .nonNegative), ("max_iter", .count(minimum: 1))]
        case .gaussianNB: return [("var_smoothing", .nonNegative)]
        }
    }
}

/// One hyper-parameter of a ``ClassifierFamily``.
public struct ClassifierParameter: Sendable, Hashable {
    /// What values a parameter takes.
    public enum Kind: Sendable, Hashable {
        /// A finite number > 0.
        case positive
        /// A finite number ≥ 0.
        case nonNegative
        /// A whole number ≥ `minimum`.
        case count(minimum: Int)
        /// A whole number ≥ 1, or `none` for no limit.
        case countOrNone
        /// One of the listed words.
        case choice([String])
        /// `scale`, `auto`, or a number > 0 (an RBF kernel's gamma).
        case gamma

        /// The accepted values in words, for help and error messages.
        public var accepted: String {
            switch self {
            case .positive: return "a number > 0"
            case .nonNegative: return "a number ≥ 0"
            case .count(let minimum): return "a whole number ≥ \(minimum)"
            case .countOrNone: return "a whole number ≥ 1 or none"
            case .choice(let words): return words.joined(separator: " | ")
            case .gamma: return "scale | auto | a number > 0"
            }
        }
    }

    /// The name in `NAME:param=value` (`C`, `k`, `max_depth`, …).
    public let name: String
    /// What values it takes.
    public let kind: Kind
    /// The default, written as in a classifier name.
    public let defaultValue: String
}
