import LinearAlgebra

/// The passive-aggressive classifier PA-I (scikit-learn's `PassiveAggressiveClassifier()`, now
/// `SGDClassifier(loss="hinge", penalty=None, learning_rate="pa1", eta0=C)`): for each sample
/// with hinge loss ℓ, `w += y · min(C, ℓ / ‖x‖²) · x`; one-vs-rest, reshuffled epochs, the same
/// early stop as `SGDClassifier` on the mean hinge loss.
public struct PassiveAggressiveClassifier: LinearClassifier, Codable, Equatable {
    /// The aggressiveness cap `C` (default 1).
    public let c: Double
    /// The epoch limit (default 1000).
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

    public var name: String { ClassifierSpec.passiveAggressive(c: c).description }
    public var classes: [Int] { state.classes }
    public var coefficients: Matrix { state.weights.matrix }
    public var intercepts: [Float] { state.intercepts }

    /// An unfitted classifier.
    /// - Parameters:
    ///   - c: the step cap, > 0.
    ///   - maxEpochs: the epoch limit, ≥ 1.
    ///   - tolerance: the early-stop tolerance.
    ///   - noImprovementLimit: epochs without improvement before stopping, ≥ 1.
    ///   - seed: the shuffling seed.
    public init(c: Double = 1, maxEpochs: Int = 1000, tolerance: Double = 1e-3,
                noImprovementLimit: Int = 5, seed: UInt64 = 42) {
        self.c = c
        self.maxEpochs = maxEpochs
        self.tolerance = tolerance
        self.noImprovementLimit = noImprovementLimit
        self.seed = seed
    }

    /// Fits one binary problem per class (one in all for two classes), in parallel.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad hyper-parameter; the input errors
    ///   of `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard c > 0, c.isFinite, maxEpochs >= 1, noImprovementLimit >= 1 else {
            throw ClassicMLError.invalidParameter(
                "PassiveAggressiveClassifier needs c > 0, maxEpochs ≥ 1 and noImprovementLimit ≥ 1")
        }
        let classes = try InputValidation.training(x, y)
        let engine = PlainSGD(loss: .hinge, rule: .passiveAggressive(c: c), maxEpochs: maxEpochs,
                              tolerance: tolerance, noImprovementLimit: noImprovementLimit)
        (state, epochs) = engine.fitOneVsRest(x, y, classes: classes, seed: seed)
    }
}
