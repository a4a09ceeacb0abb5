/// The hyper-parameters of a spec as a list of typed values, in the order of its family's
/// `parameters`: the one place that maps the enum to and from names.
extension ClassifierSpec {
    /// One parameter value.
    enum Value: Hashable {
        case number(Double)
        case count(Int)
        case optionalCount(Int?)
        case word(String)

        /// The value as written in a classifier name.
        var text: String {
            switch self {
            case .number(let value): return ClassifierSpec.format(value)
            case .count(let value): return String(value)
            case .optionalCount(let value): return value.map(String.init) ?? "none"
            case .word(let word): return word
            }
        }

        var number: Double { if case .number(let v) = self { return v }; return .nan }
        var count: Int { if case .count(let v) = self { return v }; return 0 }
        var optionalCount: Int? { if case .optionalCount(let v) = self { return v }; return nil }
        var word: String { if case .word(let w) = self { return w }; return "" }
    }

    /// This spec's parameter values, in the order of `family.parameters`.
    var parameterValues: [Value] {
        switch self {
        case .logisticRegression(let c), .linearSVC(let c), .passiveAggressive(let c): return [.number(c)]
        case .logisticRegressionCV(let folds): return [.count(folds)]
        case .sgd(let loss, let alpha): return [.word(loss.rawValue), .number(alpha)]
        case .ridge(let alpha): return [.number(alpha)]
        case .kNeighbors(let k, let weights, let metric): return [.count(k), .word(weights.rawValue), .word(metric.rawValue)]
        case .nearestCentroid, .lda: return []
        case .randomForest(let trees, let depth), .extraTrees(let trees, let depth): return [.count(trees), .optionalCount(depth)]
        case .decisionTree(let depth), .extraTree(let depth): return [.optionalCount(depth)]
        case .bagging(let trees): return [.count(trees)]
        case .adaBoost(let estimators, let rate): return [.count(estimators), .number(rate)]
        case .gradientBoosting(let estimators, let rate, let depth): return [.count(estimators), .number(rate), .count(depth)]
        case .histGradientBoosting(let iterations, let rate, let leaves): return [.count(iterations), .number(rate), .count(leaves)]
        case .svc(let c, let gamma):
            switch gamma {
            case .scale: return [.number(c), .word("scale")]
            case .auto: return [.number(c), .word("auto")]
            case .value(let g): return [.number(c), .number(g)]
            }
        case .mlp(let hidden, let alpha, let iterations): return [.count(hidden), .number(alpha), .count(iterations)]
        case .gaussianNB(let smoothing): return [.number(smoothing)]
        }
    }

    /// The spec of `family` with `values` (already checked against the family's kinds).
    init(_ family: ClassifierFamily, _ v: [Value]) {
        switch family {
        case .logisticRegression: self = .logisticRegression(c: v[0].number)
        case .logisticRegressionCV: self = .logisticRegressionCV(folds: v[0].count)
        case .linearSVC: self = .linearSVC(c: v[0].number)
        case .sgd: self = .sgd(loss: SGDClassifier.Loss(rawValue: v[0].word) ?? .hinge, alpha: v[1].number)
        case .passiveAggressive: self = .passiveAggressive(c: v[0].number)
        case .ridge: self = .ridge(alpha: v[0].number)
        case .kNeighbors:
            self = .kNeighbors(k: v[0].count, weights: KNeighborsClassifier.Weights(rawValue: v[1].word) ?? .uniform,
                               metric: KNeighborsClassifier.Metric(rawValue: v[2].word) ?? .euclidean)
        case .nearestCentroid: self = .nearestCentroid
        case .randomForest: self = .randomForest(trees: v[0].count, maxDepth: v[1].optionalCount)
        case .extraTrees: self = .extraTrees(trees: v[0].count, maxDepth: v[1].optionalCount)
        case .decisionTree: self = .decisionTree(maxDepth: v[0].optionalCount)
        case .extraTree: self = .extraTree(maxDepth: v[0].optionalCount)
        case .bagging: self = .bagging(trees: v[0].count)
        case .adaBoost: self = .adaBoost(estimators: v[0].count, learningRate: v[1].number)
        case .gradientBoosting:
            self = .gradientBoosting(estimators: v[0].count, learningRate: v[1].number, maxDepth: v[2].count)
        case .histGradientBoosting:
            self = .histGradientBoosting(iterations: v[0].count, learningRate: v[1].number, maxLeafNodes: v[2].count)
        case .svc:
            let gamma: SVC.Gamma
            switch v[1] {
            case .word("auto"): gamma = .auto
            case .number(let g): gamma = .value(g)
            default: gamma = .scale
            }
            self = .svc(c: v[0].number, gamma: gamma)
        case .mlp: self = .mlp(hidden: v[0].count, alpha: v[1].number, maxIterations: v[2].count)
        case .gaussianNB: self = .gaussianNB(varSmoothing: v[0].number)
        case .lda: self = .lda
        }
    }
}
