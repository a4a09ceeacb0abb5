import Foundation
import LinearAlgebra

/// scikit-learn's `MLPClassifier()`: one hidden layer of `hidden` ReLU units, a softmax output (a
/// single logistic unit for two classes), cross-entropy plus `alpha/2 · ‖W‖² / batch`, trained by
/// Adam (`β₁ = 0.9`, `β₂ = 0.999`, `ε = 1e-8`, learning rate `learningRate`) on shuffled
/// mini-batches of `min(200, n)` rows, Glorot-uniform initial weights; training stops after
/// `maxIterations` epochs or when the epoch loss has not improved by `tolerance` for more than
/// `noImprovementLimit` epochs (no early stopping on held-out rows, scikit-learn's default).
/// Float32 throughout, as scikit-learn on float32 input; the products are `sgemm`.
public struct MLPClassifier: ProbabilisticClassifier, Codable, Equatable {
    /// Hidden units (default 100).
    public let hidden: Int
    /// The L2 penalty (default 1e-4).
    public let alpha: Double
    /// Adam's step size (scikit-learn's `learning_rate_init`, default 1e-3).
    public let learningRate: Double
    /// Rows per mini-batch (default 200, at most n).
    public let batchSize: Int
    /// The epoch limit (scikit-learn's `max_iter`, default 200).
    public let maxIterations: Int
    /// The improvement of the epoch loss that resets the stop count (default 1e-4).
    public let tolerance: Double
    /// Epochs without improvement tolerated (scikit-learn's `n_iter_no_change`, default 10).
    public let noImprovementLimit: Int
    /// The seed of the initial weights and the shuffles (default 42).
    public let seed: UInt64
    /// Epochs run by the last `fit`.
    public private(set) var epochs = 0
    /// The last epoch's mean training loss.
    public private(set) var loss = 0.0
    public private(set) var classes: [Int] = []
    /// d × hidden, hidden, hidden × outputs, outputs.
    var network = MLPNetwork()

    public var name: String { ClassifierSpec.mlp(hidden: hidden, alpha: alpha, maxIterations: maxIterations).description }

    /// An unfitted network.
    /// - Parameters:
    ///   - hidden: hidden units, ≥ 1.
    ///   - alpha: L2 penalty, ≥ 0.
    ///   - learningRate: Adam's step size, > 0.
    ///   - batchSize: rows per mini-batch, ≥ 1.
    ///   - maxIterations: the epoch limit, ≥ 1.
    ///   - tolerance: the loss improvement that counts.
    ///   - noImprovementLimit: epochs without improvement tolerated, ≥ 1.
    ///   - seed: the seed of the initial weights and shuffles.
    public init(hidden: Int = 100, alpha: Double = 1e-4, learningRate: Double = 1e-3, batchSize: Int = 200,
                maxIterations: Int = 200, tolerance: Double = 1e-4, noImprovementLimit: Int = 10, seed: UInt64 = 42) {
        self.hidden = hidden
        self.alpha = alpha
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.noImprovementLimit = noImprovementLimit
        self.seed = seed
    }

    /// Trains the network.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad hyper-parameter; the input errors of
    ///   `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard hidden >= 1, alpha >= 0, alpha.isFinite, learningRate > 0, learningRate.isFinite, batchSize >= 1,
              maxIterations >= 1, noImprovementLimit >= 1 else {
            throw ClassicMLError.invalidParameter(
                "MLPClassifier needs hidden ≥ 1, alpha ≥ 0, learningRate > 0, batchSize ≥ 1, maxIterations ≥ 1 and noImprovementLimit ≥ 1")
        }
        let labels = try InputValidation.training(x, y)
        let classIndex = LinearState.classIndices(y, classes: labels)
        let outputs = labels.count == 2 ? 1 : labels.count
        var generator = SeededGenerator(seed: seed)
        var net = MLPNetwork(inputs: x.columns, hidden: hidden, outputs: outputs, using: &generator)
        var trainer = MLPTrainer(network: net, alpha: Float(alpha), learningRate: learningRate,
                                 batch: min(batchSize, x.rows))
        let n = x.rows
        var order = Array(0..<n)
        var best = Double.infinity, stale = 0
        epochs = 0
        while epochs < maxIterations {
            order.shuffle(using: &generator)
            var total = 0.0
            var start = 0
            while start < n {
                let rows = Array(order[start..<min(n, start + trainer.batch)])
                total += trainer.step(x, rows: rows, classIndex: classIndex) * Double(rows.count)
                start += rows.count
            }
            epochs += 1
            loss = total / Double(n)
            stale = loss > best - tolerance ? stale + 1 : 0
            best = min(best, loss)
            if stale > noImprovementLimit { break }
        }
        net = trainer.network
        network = net
        classes = labels
    }

    /// Class probabilities: the softmax output (for two classes, `1 − p` and `p` of the logistic unit).
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predictProba(_ x: Matrix) -> Matrix {
        precondition(!classes.isEmpty, "fit the classifier before predicting")
        precondition(x.columns == network.inputs, "model fitted on \(network.inputs) features, got \(x.columns)")
        let output = network.forward(x).output
        guard network.outputs == 1 else { return output }
        return Matrix(rows: x.rows, columns: 2, values: output.values.flatMap { [1 - $0, $0] })
    }

    /// The most probable class of every row (for two classes: `classes[1]` when `p > 0.5`).
    public func predict(_ x: Matrix) -> [Int] {
        let p = predictProba(x)
        return argmaxLabels(p, classes: classes)
    }
}

extension MLPClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "MLPClassifier" }

    /// Checks a decoded network: classes, and layer shapes that chain (d × h, h, h × o, o) with
    /// o = 1 for two classes or K, all finite.
    public func validateLoaded() throws {
        try LoadedModelCheck.classes(classes, kind: Self.kind)
        try network.validate(outputs: classes.count == 2 ? 1 : classes.count)
    }
}
