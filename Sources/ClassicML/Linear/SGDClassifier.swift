import LinearAlgebra

/// A linear classifier fitted by plain stochastic gradient descent, like scikit-learn's
/// `SGDClassifier()`: L2 penalty `alpha`, the 'optimal' learning-rate schedule, one-vs-rest,
/// reshuffled epochs, and the stop after `noImprovementLimit` epochs without a `tolerance`
/// improvement of the mean training objective. Expects standardised features.
public struct SGDClassifier: LinearClassifier, Codable, Equatable {
    /// The loss minimised.
    public enum Loss: String, Codable, Sendable, CaseIterable {
        /// The linear SVM's hinge loss (scikit-learn's default).
        case hinge
        /// The logistic loss.
        case log
        /// The Huber-smoothed squared hinge.
        case modifiedHuber
    }

    /// The loss (default hinge).
    public let loss: Loss
    /// The L2 penalty (default 1e-4).
    public let alpha: Double
    /// The epoch limit (scikit-learn's `max_iter`, default 1000).
    public let maxEpochs: Int
    /// The improvement that resets the early-stop count (default 1e-3).
    public let tolerance: Double
    /// Epochs without improvement that stop training (default 5).
    public let noImprovementLimit: Int
    /// The shuffling seed (default 42).
    public let seed: UInt64
    /// The most epochs any one-vs-rest problem ran in the last `fit`.
    public private(set) var epochs = 0
    private var state = LinearState()

    public var name: String { ClassifierSpec.sgd(loss: loss, alpha: alpha).description }
    public var classes: [Int] { state.classes }
    public var coefficients: Matrix { state.weights.matrix }
    public var intercepts: [Float] { state.intercepts }

    /// An unfitted classifier.
    /// - Parameters:
    ///   - loss: the loss.
    ///   - alpha: the L2 penalty, > 0.
    ///   - maxEpochs: the epoch limit, ≥ 1.
    ///   - tolerance: the early-stop tolerance.
    ///   - noImprovementLimit: epochs without improvement before stopping, ≥ 1.
    ///   - seed: the shuffling seed.
    public init(loss: Loss = .hinge, alpha: Double = 1e-4, maxEpochs: Int = 1000,
                tolerance: Double = 1e-3, noImprovementLimit: Int = 5, seed: UInt64 = 42) {
        self.loss = loss
        self.alpha = alpha
        self.maxEpochs = maxEpochs
        self.tolerance = tolerance
        self.noImprovementLimit = noImprovementLimit
        self.seed = seed
    }

    /// Fits one binary problem per class (one in all for two classes), in parallel.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad hyper-parameter; the input errors
    ///   of `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard alpha > 0, alpha.isFinite, maxEpochs >= 1, noImprovementLimit >= 1 else {
            throw ClassicMLError.invalidParameter(
                "SGDClassifier needs alpha > 0, maxEpochs ≥ 1 and noImprovementLimit ≥ 1")
        }
        let classes = try InputValidation.training(x, y)
        let engine = PlainSGD(loss: loss, rule: .optimal(alpha: alpha), maxEpochs: maxEpochs,
                              tolerance: tolerance, noImprovementLimit: noImprovementLimit)
        (state, epochs) = engine.fitOneVsRest(x, y, classes: classes, seed: seed)
    }
}
