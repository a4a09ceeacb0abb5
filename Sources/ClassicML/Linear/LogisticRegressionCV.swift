import Foundation
import LinearAlgebra

/// Logistic regression whose inverse regularisation strength is chosen by cross-validation,
/// like scikit-learn's `LogisticRegressionCV(Cs=10)`: every `C` of the grid is scored by mean
/// accuracy over seeded stratified folds of the training rows, the best (the smallest `C` on a
/// tie, as `numpy.argmax`) wins, and a ``LogisticRegression`` with that `C` is refitted on all rows.
public struct LogisticRegressionCV: ProbabilisticClassifier, Codable, Equatable {
    /// The candidate values of `C`, tried in this order.
    public let cs: [Double]
    /// The number of stratified folds (scikit-learn's default 5).
    public let folds: Int
    /// The seed of the fold assignment.
    public let seed: UInt64
    /// The L-BFGS iteration limit of every fit.
    public let maxIterations: Int
    /// The chosen `C` (`nil` before `fit`).
    public private(set) var chosenC: Double?
    /// The mean fold accuracy of each entry of `cs` (empty before `fit`).
    public private(set) var meanScores: [Double] = []
    var model: LogisticRegression?

    public var name: String { ClassifierSpec.logisticRegressionCV(folds: folds).description }
    public var classes: [Int] { model?.classes ?? [] }

    /// scikit-learn's default grid for `Cs=10`: `logspace(-4, 4, 10)`.
    public static let defaultCs: [Double] = (0..<10).map { pow(10, -4 + 8 * Double($0) / 9) }

    /// An unfitted model.
    /// - Parameters:
    ///   - cs: candidate values of `C`, each > 0 (default `defaultCs`).
    ///   - folds: stratified folds, ≥ 2 (default 5).
    ///   - seed: the fold assignment's seed (default 42).
    ///   - maxIterations: L-BFGS iteration limit per fit (default 100).
    public init(cs: [Double] = LogisticRegressionCV.defaultCs, folds: Int = 5, seed: UInt64 = 42,
                maxIterations: Int = 100) {
        self.cs = cs
        self.folds = folds
        self.seed = seed
        self.maxIterations = maxIterations
    }

    /// Scores every `C` by cross-validation, then refits the best on all rows.
    /// - Throws: `ClassicMLError.invalidParameter` for an empty or non-positive grid; the errors
    ///   of `StratifiedSplit.kFold` (fewer rows than folds) and of `LogisticRegression.fit`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard !cs.isEmpty, cs.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ClassicMLError.invalidParameter("LogisticRegressionCV needs a non-empty grid of finite C > 0, got \(cs)")
        }
        _ = try InputValidation.training(x, y)
        let splits = try StratifiedSplit.kFold(labels: y, folds: folds, seed: seed)
        var totals = [Double](repeating: 0, count: cs.count)
        for split in splits {
            let trainX = x.rows(at: split.train), testX = x.rows(at: split.test)
            let trainY = split.train.map { y[$0] }, testY = split.test.map { y[$0] }
            for (index, c) in cs.enumerated() {
                var candidate = LogisticRegression(c: c, maxIterations: maxIterations)
                try candidate.fit(trainX, trainY)
                let correct = zip(candidate.predict(testX), testY).filter { $0.0 == $0.1 }.count
                totals[index] += Double(correct) / Double(testY.count)
            }
        }
        meanScores = totals.map { $0 / Double(splits.count) }
        let best = meanScores.firstIndex(of: meanScores.max() ?? 0) ?? 0
        var refit = LogisticRegression(c: cs[best], maxIterations: maxIterations)
        try refit.fit(x, y)
        chosenC = cs[best]
        model = refit
    }

    /// The refitted model's predictions (`classes[0]` for every row before `fit`).
    /// - Parameter x: n × d samples.
    /// - Returns: one label per row.
    public func predict(_ x: Matrix) -> [Int] {
        model?.predict(x) ?? [Int](repeating: classes.first ?? 0, count: x.rows)
    }

    /// The refitted model's class probabilities.
    /// - Parameter x: n × d samples.
    /// - Returns: n × `classes.count` probabilities (n × 0 before `fit`).
    public func predictProba(_ x: Matrix) -> Matrix {
        model?.predictProba(x) ?? Matrix(rows: x.rows, columns: 0)
    }
}

extension LogisticRegressionCV: PersistableClassifier {
    /// The model-file kind.
    public static var kind: String { "LogisticRegressionCV" }

    /// Checks the loaded state: a grid of finite `C > 0` with one mean score each, the chosen
    /// `C` among them, and a valid refitted ``LogisticRegression``.
    /// - Throws: `ClassicMLError.modelFile` naming the problem.
    public func validateLoaded() throws {
        guard let model, let chosenC else {
            throw ClassicMLError.modelFile("LogisticRegressionCV holds no fitted model")
        }
        try LoadedModelCheck.require(!cs.isEmpty && cs.allSatisfy { $0 > 0 && $0.isFinite },
                                     "LogisticRegressionCV's grid of C is empty or not finite and positive")
        try LoadedModelCheck.require(meanScores.count == cs.count,
                                     "LogisticRegressionCV has \(meanScores.count) mean scores for \(cs.count) values of C")
        try LoadedModelCheck.require(cs.contains(chosenC), "LogisticRegressionCV's chosen C \(chosenC) is not in its grid")
        try model.validateLoaded()
    }

    /// The number of features of the refitted model (nil before `fit`).
    public var featureCount: Int? { model?.featureCount }
}
