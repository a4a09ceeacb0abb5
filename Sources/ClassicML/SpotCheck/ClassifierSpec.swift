/// One classifier configuration of the spot-check, typed: the family and its hyper-parameters.
///
/// Every configuration has one canonical name, its `description`, which
/// ``init(parsing:)`` reads back to the same value: the cookbook's names (`LinearSVC-0.01`,
/// `KNeighborsClf-7`, `RandomForestClf-100`, `LogisticRegression`) where only a family's
/// headline parameter differs from its default, and `NAME:param=value,…` otherwise
/// (`SVC:C=10,gamma=0.001`, `KNeighborsClf:k=9,weights=distance`), listing only the parameters
/// that differ from their defaults. Numbers are written by one formatter (``format(_:)``).
/// A spec also says whether its input is standardised first and makes the fresh classifier
/// (``makeClassifier(seed:)``). The defaults below are scikit-learn's.
public enum ClassifierSpec: Sendable, Hashable, CustomStringConvertible {
    /// `LogisticRegression` (lbfgs, L2): inverse regularisation `c`.
    case logisticRegression(c: Double = 1)
    /// `LogisticRegressionCV`: `C` chosen over logspace(-4, 4, 10) by stratified `folds`-fold CV.
    case logisticRegressionCV(folds: Int = 5)
    /// `LinearSVC-<C>`: squared hinge, L2, one-vs-rest (liblinear).
    case linearSVC(c: Double = 1)
    /// `SGDClf`: SGD with the 'optimal' rate, L2 penalty `alpha`.
    case sgd(loss: SGDClassifier.Loss = .hinge, alpha: Double = 1e-4)
    /// `PAClf`: passive-aggressive PA-I with step cap `c`.
    case passiveAggressive(c: Double = 1)
    /// `RidgeClf-<alpha>`: ridge regression on ±1 targets.
    case ridge(alpha: Double = 1)
    /// `KNeighborsClf-<k>`: brute-force k nearest neighbours.
    case kNeighbors(k: Int = 5, weights: KNeighborsClassifier.Weights = .uniform,
                    metric: KNeighborsClassifier.Metric = .euclidean)
    /// `NearestCentroid`: the nearest class mean.
    case nearestCentroid
    /// `RandomForestClf-<trees>`: bootstrap gini trees, √d features per split.
    case randomForest(trees: Int = 100, maxDepth: Int? = nil)
    /// `ExtraTreesClf-<trees>`: extremely randomised gini trees, √d features per split.
    case extraTrees(trees: Int = 100, maxDepth: Int? = nil)
    /// `DecisionTreeClf`: one CART gini tree, best splits over every feature in index order.
    case decisionTree(maxDepth: Int? = nil)
    /// `ExtraTreeClf`: one extremely randomised tree, √d features per split.
    case extraTree(maxDepth: Int? = nil)
    /// `BaggingClf-<trees>`: decision trees on bootstrap samples, probabilities averaged.
    case bagging(trees: Int = 10)
    /// `AdaBoostClf-<estimators>`: SAMME over depth-1 stumps.
    case adaBoost(estimators: Int = 50, learningRate: Double = 1)
    /// `GradientBoostingClf-<estimators>`: regression trees on the multinomial deviance.
    case gradientBoosting(estimators: Int = 100, learningRate: Double = 0.1, maxDepth: Int = 3)
    /// `HistGradientBoostingClf`: leaf-wise histogram boosting over 255 bins, no early stopping.
    case histGradientBoosting(iterations: Int = 100, learningRate: Double = 0.1, maxLeafNodes: Int = 31)
    /// `SVC`: kernel SVM with an RBF kernel, one-vs-one (libsvm).
    case svc(c: Double = 1, gamma: SVC.Gamma = .scale)
    /// `MLPClf`: one hidden ReLU layer trained by Adam.
    case mlp(hidden: Int = 100, alpha: Double = 1e-4, maxIterations: Int = 200)
    /// `GaussianNB`: Gaussian naive Bayes.
    case gaussianNB(varSmoothing: Double = 1e-9)
    /// `LDA`: linear discriminant analysis, svd solver.
    case lda

    /// The family of this configuration.
    public var family: ClassifierFamily {
        switch self {
        case .logisticRegression: return .logisticRegression
        case .logisticRegressionCV: return .logisticRegressionCV
        case .linearSVC: return .linearSVC
        case .sgd: return .sgd
        case .passiveAggressive: return .passiveAggressive
        case .ridge: return .ridge
        case .kNeighbors: return .kNeighbors
        case .nearestCentroid: return .nearestCentroid
        case .randomForest: return .randomForest
        case .extraTrees: return .extraTrees
        case .decisionTree: return .decisionTree
        case .extraTree: return .extraTree
        case .bagging: return .bagging
        case .adaBoost: return .adaBoost
        case .gradientBoosting: return .gradientBoosting
        case .histGradientBoosting: return .histGradientBoosting
        case .svc: return .svc
        case .mlp: return .mlp
        case .gaussianNB: return .gaussianNB
        case .lda: return .lda
        }
    }

    /// Whether a `StandardScaler` is fitted on the training rows and applied before this
    /// classifier: linear models, kernels and networks, whose penalties, steps or distances depend
    /// on feature scale; neighbours, centroids, trees, naive Bayes and LDA see raw features.
    public var standardized: Bool { family.standardized }

    /// The canonical name (see the type's description); ``init(parsing:)`` reads it back.
    public var description: String {
        let family = self.family
        let values = parameterValues, defaults = family.defaultSpec.parameterValues
        var shown = values.indices.filter { values[$0] != defaults[$0] }
        if let dash = family.dashParameter {
            if family.dashAlwaysShown, !shown.contains(dash) { shown = ([dash] + shown).sorted() }
            if shown.allSatisfy({ $0 == dash }) {
                return shown.isEmpty ? family.name : family.name + "-" + values[dash].text
            }
        }
        guard !shown.isEmpty else { return family.name }
        return family.name + ":" + shown.map { "\(family.parameters[$0].name)=\(values[$0].text)" }
            .joined(separator: ",")
    }

    /// The one number formatter of classifier names: the shortest decimal that reads back to the
    /// same `Double`, without a fractional part for whole numbers (`0.001`, `1`, `10`, `1e-09`).
    /// - Parameter value: a finite number.
    /// - Returns: its text.
    public static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
