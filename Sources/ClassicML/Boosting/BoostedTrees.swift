import Foundation
import LinearAlgebra

/// The additive model of a boosted classifier: a baseline score per class (a single score for two
/// classes) plus the leaf values of one regression tree per score per stage; probabilities are the
/// softmax of the scores (the logistic sigmoid of the single score).
struct BoostedTrees: Codable, Equatable, Sendable {
    /// The starting score of every class: the log prior, centred (logit of the prior for two classes).
    var baseline: [Double] = []
    /// Stage after stage, one tree per score.
    var trees: [RegressionTree] = []
    /// The feature width.
    var columns = 0

    /// The number of scores: 1 for two classes, else one per class.
    var scores: Int { baseline.count }

    /// An unfitted model.
    init() {}

    /// Boosts `stages` rounds on the multinomial (binomial for two classes) deviance: each round
    /// takes every row's class probabilities from the current scores and adds one tree per score,
    /// grown by `growTree` — in parallel over the scores, which do not depend on each other within
    /// a round.
    /// - Parameters:
    ///   - x: n × d training rows.
    ///   - classIndex: the position of every row's class, 0..<classCount.
    ///   - classCount: the number of classes, ≥ 2.
    ///   - stages: the rounds.
    ///   - jobs: threads.
    ///   - growTree: given the stage, a score, every row's probability of that score's class and its 0/1
    ///     target, returns the tree (leaf values already scaled by the learning rate) and every
    ///     training row's leaf value.
    init(x: Matrix, classIndex: [Int], classCount: Int, stages: Int, jobs: Int,
         growTree: (_ stage: Int, _ score: Int, _ probability: [Double], _ target: [Double]) -> (RegressionTree, [Double])) {
        let n = x.rows
        let s = classCount == 2 ? 1 : classCount
        var counts = [Double](repeating: 0, count: classCount)
        for c in classIndex { counts[c] += 1 }
        let priors = counts.map { min(max($0 / Double(n), Double.ulpOfOne), 1 - Double.ulpOfOne) }
        if s == 1 {
            baseline = [Foundation.log(priors[1] / (1 - priors[1]))]
        } else {
            let logs = priors.map { Foundation.log($0) }
            let mean = logs.reduce(0, +) / Double(classCount)
            baseline = logs.map { $0 - mean }
        }
        columns = x.columns
        let targets = (0..<s).map { k in classIndex.map { $0 == (s == 1 ? 1 : k) ? 1.0 : 0.0 } }
        var raw = [Double](repeating: 0, count: n * s)
        for i in 0..<n { for k in 0..<s { raw[i * s + k] = baseline[k] } }
        for stage in 0..<stages {
            let probabilities = Self.probabilities(raw, scores: s)
            let grown = Parallel.map(s, threads: jobs) { k in
                growTree(stage, k, (0..<n).map { probabilities[$0 * s + k] }, targets[k])
            }
            for (k, (tree, fitted)) in grown.enumerated() {
                trees.append(tree)
                for i in 0..<n { raw[i * s + k] += fitted[i] }
            }
        }
    }

    /// Class probabilities from raw scores: per row the softmax (for one score, the sigmoid of it
    /// as the probability of class 1), row-major n × scores.
    static func probabilities(_ raw: [Double], scores s: Int) -> [Double] {
        var p = raw
        let n = raw.count / s
        for i in 0..<n {
            if s == 1 {
                p[i] = 1 / (1 + Foundation.exp(-raw[i]))
                continue
            }
            var top = -Double.infinity
            for k in 0..<s { top = max(top, raw[i * s + k]) }
            var total = 0.0
            for k in 0..<s { p[i * s + k] = Foundation.exp(raw[i * s + k] - top); total += p[i * s + k] }
            for k in 0..<s { p[i * s + k] /= total }
        }
        return p
    }

    /// The raw scores of the rows of `x`, n × scores.
    /// - Precondition: the model is fitted and `x` has the training width.
    func rawScores(_ x: Matrix) -> [Double] {
        precondition(!baseline.isEmpty, "fit the classifier before predicting")
        precondition(x.columns == columns, "model fitted on \(columns) features, got \(x.columns)")
        let s = scores
        var raw = [Double](repeating: 0, count: x.rows * s)
        x.values.withUnsafeBufferPointer { rows in
            for i in 0..<x.rows {
                for k in 0..<s { raw[i * s + k] = baseline[k] }
                for (t, tree) in trees.enumerated() { raw[i * s + t % s] += tree.predict(rows, row: i, columns: columns) }
            }
        }
        return raw
    }

    /// The class of highest score of every row (for one score: `classes[1]` when it is positive).
    func predict(_ x: Matrix, classes: [Int]) -> [Int] {
        let raw = rawScores(x), s = scores
        return (0..<x.rows).map { i in
            s == 1 ? classes[raw[i] > 0 ? 1 : 0] : classes[firstMaxIndex(raw[(i * s)..<((i + 1) * s)])]
        }
    }

    /// The class probabilities of the rows of `x`, n × classCount.
    func predictProba(_ x: Matrix, classCount: Int) -> Matrix {
        let p = Self.probabilities(rawScores(x), scores: scores)
        if scores == 1 { return Matrix(rows: x.rows, columns: 2, values: p.flatMap { [Float(1 - $0), Float($0)] }) }
        return Matrix(rows: x.rows, columns: classCount, values: p.map { Float($0) })
    }

    /// Checks a decoded model: one finite baseline per score for `classCount` classes, whole
    /// stages of trees, every tree valid for the width.
    func validate(classCount: Int) throws {
        try LoadedModelCheck.vector(baseline, count: classCount == 2 ? 1 : classCount, "the baseline scores")
        try LoadedModelCheck.require(columns >= 1, "the stored model has no features")
        try LoadedModelCheck.require(!trees.isEmpty && trees.count % scores == 0, "the stored trees do not make whole stages")
        for tree in trees { try tree.validate(columns: columns) }
    }
}
