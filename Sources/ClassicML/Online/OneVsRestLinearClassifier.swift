import Foundation
import LinearAlgebra

/// river's `multiclass.OneVsRestClassifier` over one of the binary linear learners in
/// `OnlineLearner`, on already-scaled rows.
///
/// A binary model (zero weights, zero intercept) is created the first time a label is
/// learned; every sample then trains every known model on `label == its class`. Probabilities
/// are the per-class sigmoids normalised to sum 1; the prediction is the first class with the
/// highest probability (classes in order of first appearance), or `nil` before any learning.
public struct OneVsRestLinearClassifier: Codable, Sendable, Equatable {
    /// The binary learner.
    public let learner: OnlineLearner
    /// Weight learning rate (SGD learners).
    public let learningRate: Double
    /// Intercept learning rate (SGD learners).
    public let interceptLearningRate: Double
    /// L2 penalty (SGD learners): the step is `rate·(g·x + l2·w)`, as river's.
    public let l2: Double
    /// PA-I's cap on the step size.
    public let c: Double
    /// The row width.
    public let featureCount: Int
    /// Classes in order of first appearance.
    public private(set) var classes: [String] = []
    /// Weights, one row of `featureCount` per class (class-major).
    public private(set) var weights: [Double] = []
    /// One intercept per class.
    public private(set) var intercepts: [Double] = []
    private var classIndex: [String: Int] = [:]

    /// A classifier that has learned nothing yet.
    /// - Parameters:
    ///   - featureCount: the row width.
    ///   - learner: the binary learner (default `.logreg`).
    ///   - learningRate: weight learning rate; `nil` for the learner's river default.
    ///   - interceptLearningRate: intercept learning rate; `nil` for the learner's river default.
    ///   - l2: L2 penalty (default 0).
    ///   - c: PA-I's step cap (default 1).
    /// - Throws: `ClassicMLError.invalidParameter` for a negative or non-finite setting or a
    ///   zero row width.
    public init(featureCount: Int, learner: OnlineLearner = .logreg, learningRate: Double? = nil,
                interceptLearningRate: Double? = nil, l2: Double = 0, c: Double = 1) throws {
        let rate = learningRate ?? learner.defaultLearningRate
        let interceptRate = interceptLearningRate ?? learner.defaultInterceptLearningRate
        for (name, value) in [("learning rate", rate), ("intercept learning rate", interceptRate), ("l2", l2), ("C", c)]
        where !(value.isFinite && value >= 0) {
            throw ClassicMLError.invalidParameter("\(name) must be a finite number ≥ 0, got \(value)")
        }
        guard featureCount > 0 else {
            throw ClassicMLError.invalidParameter("the row width must be at least 1, got \(featureCount)")
        }
        self.featureCount = featureCount
        self.learner = learner
        self.learningRate = rate
        self.interceptLearningRate = interceptRate
        self.l2 = l2
        self.c = c
    }

    private enum CodingKeys: String, CodingKey {
        case learner, learningRate, interceptLearningRate, l2, c, featureCount, classes, weights, intercepts
    }

    /// Decodes a saved classifier, checking that its arrays agree.
    /// - Parameter decoder: the decoder.
    /// - Throws: `ClassicMLError.modelFile` when the arrays disagree in size.
    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        learner = try values.decode(OnlineLearner.self, forKey: .learner)
        learningRate = try values.decode(Double.self, forKey: .learningRate)
        interceptLearningRate = try values.decode(Double.self, forKey: .interceptLearningRate)
        l2 = try values.decode(Double.self, forKey: .l2)
        c = try values.decode(Double.self, forKey: .c)
        featureCount = try values.decode(Int.self, forKey: .featureCount)
        classes = try values.decode([String].self, forKey: .classes)
        weights = try values.decode([Double].self, forKey: .weights)
        intercepts = try values.decode([Double].self, forKey: .intercepts)
        let (weightCount, overflow) = classes.count.multipliedReportingOverflow(by: featureCount)
        guard featureCount >= 1, !overflow, weights.count == weightCount, intercepts.count == classes.count,
              Set(classes).count == classes.count else {
            throw ClassicMLError.modelFile("the saved classifier's classes, weights and intercepts disagree in size")
        }
        classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    }

    /// Trains every known binary model (creating `label`'s first if it is new) on one row.
    /// - Parameters:
    ///   - x: a scaled row of `featureCount` values.
    ///   - label: the row's class.
    package mutating func learnOne(_ x: UnsafeBufferPointer<Double>, label: String) {
        precondition(x.count == featureCount, "row has \(x.count) features, the model \(featureCount)")
        let target: Int
        if let known = classIndex[label] {
            target = known
        } else {
            target = classes.count
            classIndex[label] = target
            classes.append(label)
            weights.append(contentsOf: repeatElement(0, count: featureCount))
            intercepts.append(0)
        }
        guard let row = x.baseAddress else { return }
        let width = featureCount
        let squaredNorm = learner == .pa ? VectorKernels.dot(row, row, width) : 0
        weights.withUnsafeMutableBufferPointer { all in
            guard let base = all.baseAddress else { return }
            for k in 0..<classes.count {
                let w = base + k * width
                let y: Double = k == target ? 1 : -1
                let z = VectorKernels.dot(w, row, width) + intercepts[k]
                switch learner {
                case .pa:
                    let loss = max(1 - y * z, 0)
                    let tau = squaredNorm > 0 ? min(c, loss / squaredNorm) : 0
                    let step = tau * y
                    if step != 0 { VectorKernels.addScaled(w, row, width, step: step) }
                    intercepts[k] += step
                case .logreg, .perceptron, .sgdHinge:
                    let g = Self.lossGradient(learner, y: y, z: z)
                    intercepts[k] -= interceptLearningRate * g
                    if g != 0 || l2 != 0 {
                        VectorKernels.sgdStep(w, row, width, gradient: g, rate: learningRate, l2: l2)
                    }
                }
            }
        }
    }

    /// river's loss gradients with respect to the raw margin `z`, for `y` ∈ {−1, +1}.
    private static func lossGradient(_ learner: OnlineLearner, y: Double, z: Double) -> Double {
        switch learner {
        case .logreg:
            let m = z * y
            if m > 18 { return exp(-m) * -y }
            if m < -18 { return -y }
            return -y / (exp(m) + 1)
        case .perceptron:
            return y * z <= 0 ? -y : 0
        case .sgdHinge:
            return y * z <= 1 ? -y : 0
        case .pa:
            return 0
        }
    }

    /// The class probabilities for one row, in `classes` order.
    /// - Parameters:
    ///   - x: a scaled row of `featureCount` values.
    ///   - probabilities: receives one probability per class (resized to `classes.count`).
    package func predictProbaOne(_ x: UnsafeBufferPointer<Double>, into probabilities: inout [Double]) {
        precondition(x.count == featureCount, "row has \(x.count) features, the model \(featureCount)")
        if probabilities.count != classes.count {
            probabilities = [Double](repeating: 0, count: classes.count)
        }
        guard let row = x.baseAddress, !classes.isEmpty else { return }
        let width = featureCount
        var total = 0.0
        weights.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            for k in 0..<classes.count {
                let p = Self.sigmoid(VectorKernels.dot(base + k * width, row, width) + intercepts[k])
                probabilities[k] = p
                total += p
            }
        }
        for k in probabilities.indices {
            probabilities[k] = total != 0 ? probabilities[k] / total : 1 / Double(classes.count)
        }
    }

    /// The most probable class (the first on ties), or `nil` before any learning.
    /// - Parameters:
    ///   - x: a scaled row of `featureCount` values.
    ///   - scratch: reused storage for the probabilities.
    /// - Returns: the predicted class.
    package func predictOne(_ x: UnsafeBufferPointer<Double>, scratch: inout [Double]) -> String? {
        predictProbaOne(x, into: &scratch)
        guard var best = scratch.indices.first else { return nil }
        for k in scratch.indices where scratch[k] > scratch[best] { best = k }
        return classes[best]
    }

    /// river's clamped sigmoid: exactly 0 below −30 and 1 above 30.
    private static func sigmoid(_ z: Double) -> Double {
        if z < -30 { return 0 }
        if z > 30 { return 1 }
        return 1 / (1 + exp(-z))
    }
}
