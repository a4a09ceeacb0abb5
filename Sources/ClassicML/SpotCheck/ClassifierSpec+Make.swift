extension ClassifierSpec {
    /// A fresh, unfitted classifier of this configuration.
    /// - Parameter seed: the seed of randomised classifiers (shuffles, bootstraps, feature
    ///   draws, initial weights, folds); deterministic ones ignore it (default 42).
    /// - Returns: the classifier; its `name` is this spec's `description`.
    public func makeClassifier(seed: UInt64 = 42) -> any PersistableClassifier {
        switch self {
        case .logisticRegression(let c): return LogisticRegression(c: c)
        case .logisticRegressionCV(let folds): return LogisticRegressionCV(folds: folds, seed: seed)
        case .linearSVC(let c): return LinearSVC(c: c)
        case .sgd(let loss, let alpha): return SGDClassifier(loss: loss, alpha: alpha, seed: seed)
        case .passiveAggressive(let c): return PassiveAggressiveClassifier(c: c, seed: seed)
        case .ridge(let alpha): return RidgeClassifier(alpha: alpha)
        case .kNeighbors(let k, let weights, let metric): return KNeighborsClassifier(neighbors: k, weights: weights, metric: metric)
        case .nearestCentroid: return NearestCentroid()
        case .randomForest(let trees, let depth): return RandomForestClassifier(trees: trees, maxDepth: depth, seed: seed)
        case .extraTrees(let trees, let depth): return ExtraTreesClassifier(trees: trees, maxDepth: depth, seed: seed)
        case .decisionTree(let depth): return DecisionTreeClassifier(maxDepth: depth, seed: seed)
        case .extraTree(let depth): return ExtraTreeClassifier(maxDepth: depth, seed: seed)
        case .bagging(let trees): return BaggingClassifier(trees: trees, seed: seed)
        case .adaBoost(let estimators, let rate): return AdaBoostClassifier(estimators: estimators, learningRate: rate, seed: seed)
        case .gradientBoosting(let estimators, let rate, let depth):
            return GradientBoostingClassifier(estimators: estimators, learningRate: rate, maxDepth: depth, seed: seed)
        case .histGradientBoosting(let iterations, let rate, let leaves):
            return HistGradientBoostingClassifier(iterations: iterations, learningRate: rate, maxLeafNodes: leaves)
        case .svc(let c, let gamma): return SVC(c: c, gamma: gamma)
        case .mlp(let hidden, let alpha, let iterations):
            return MLPClassifier(hidden: hidden, alpha: alpha, maxIterations: iterations, seed: seed)
        case .gaussianNB(let smoothing): return GaussianNB(varSmoothing: smoothing)
        case .lda: return LinearDiscriminantAnalysis()
        }
    }
}
