import Foundation
import LinearAlgebra

/// The weights of a one-hidden-layer ReLU network and its forward pass.
struct MLPNetwork: Codable, Equatable, Sendable {
    /// inputs × hidden.
    var hiddenWeights = PackedMatrix()
    var hiddenBiases: [Float] = []
    /// hidden × outputs.
    var outputWeights = PackedMatrix()
    var outputBiases: [Float] = []

    var inputs: Int { hiddenWeights.matrix.rows }
    var outputs: Int { outputWeights.matrix.columns }

    /// An empty network.
    init() {}

    /// Glorot-uniform weights and biases, `U(−b, b)` with `b = √(6 / (fan_in + fan_out))`, layer by
    /// layer (weights, then biases), as scikit-learn initialises a ReLU network.
    init(inputs: Int, hidden: Int, outputs: Int, using generator: inout SeededGenerator) {
        func uniform(_ count: Int, _ fanIn: Int, _ fanOut: Int) -> [Float] {
            let bound = (6 / Double(fanIn + fanOut)).squareRoot()
            return (0..<count).map { _ in Float(Double.random(in: -bound..<bound, using: &generator)) }
        }
        hiddenWeights = PackedMatrix(Matrix(rows: inputs, columns: hidden, values: uniform(inputs * hidden, inputs, hidden)))
        hiddenBiases = uniform(hidden, inputs, hidden)
        outputWeights = PackedMatrix(Matrix(rows: hidden, columns: outputs, values: uniform(hidden * outputs, hidden, outputs)))
        outputBiases = uniform(outputs, hidden, outputs)
    }

    /// The hidden activations (n × hidden) and the output probabilities (n × outputs: softmax, or
    /// the logistic sigmoid of a single unit) of the rows of `x`.
    func forward(_ x: Matrix) -> (hidden: Matrix, output: Matrix) {
        var h = BLAS.multiply(x, hiddenWeights.matrix)
        for i in 0..<h.rows { for j in 0..<h.columns { h[i, j] = max(0, h[i, j] + hiddenBiases[j]) } }
        var o = BLAS.multiply(h, outputWeights.matrix)
        for i in 0..<o.rows {
            for j in 0..<o.columns { o[i, j] += outputBiases[j] }
            if o.columns == 1 {
                o[i, 0] = 1 / (1 + Foundation.exp(-o[i, 0]))
            } else {
                var top = -Float.infinity
                for j in 0..<o.columns { top = max(top, o[i, j]) }
                var total: Float = 0
                for j in 0..<o.columns { o[i, j] = Foundation.exp(o[i, j] - top); total += o[i, j] }
                for j in 0..<o.columns { o[i, j] /= total }
            }
        }
        return (h, o)
    }

    /// Checks decoded layers against each other and the expected output width.
    func validate(outputs expected: Int) throws {
        let w1 = hiddenWeights.matrix, w2 = outputWeights.matrix
        try LoadedModelCheck.require(w1.rows >= 1 && w1.columns >= 1, "the stored network has no input or hidden units")
        try LoadedModelCheck.matrix(w1, rows: w1.rows, columns: w1.columns, "the hidden-layer weights")
        try LoadedModelCheck.vector(hiddenBiases, count: w1.columns, "the hidden-layer biases")
        try LoadedModelCheck.matrix(w2, rows: w1.columns, columns: expected, "the output-layer weights")
        try LoadedModelCheck.vector(outputBiases, count: expected, "the output-layer biases")
    }
}

/// One Adam step per mini-batch on an `MLPNetwork` (scikit-learn's `_backprop` and `AdamOptimizer`).
struct MLPTrainer {
    var network: MLPNetwork
    let alpha: Float
    let learningRate: Double
    let batch: Int
    private var moments: [[Float]]
    private var squares: [[Float]]
    private var t = 0

    init(network: MLPNetwork, alpha: Float, learningRate: Double, batch: Int) {
        self.network = network
        self.alpha = alpha
        self.learningRate = learningRate
        self.batch = batch
        let sizes = [network.hiddenWeights.matrix.values.count, network.hiddenBiases.count,
                     network.outputWeights.matrix.values.count, network.outputBiases.count]
        moments = sizes.map { [Float](repeating: 0, count: $0) }
        squares = moments
    }

    /// Forward, backward and one Adam update on the rows `rows` of `x`.
    /// - Returns: the batch loss (mean cross-entropy plus the L2 term over the batch size).
    mutating func step(_ x: Matrix, rows: [Int], classIndex: [Int]) -> Double {
        let b = rows.count
        let inputs = x.rows(at: rows)
        let (h, p) = network.forward(inputs)
        let outputs = p.columns
        // Loss and output deltas p − y.
        let eps = Float.ulpOfOne
        var lossSum = 0.0
        var delta = p
        for r in 0..<b {
            let target = classIndex[rows[r]]
            if outputs == 1 {
                let y: Float = target == 1 ? 1 : 0
                let q = min(max(p[r, 0], eps), 1 - eps)
                lossSum -= Double(y * Foundation.log(q) + (1 - y) * Foundation.log(1 - q))
                delta[r, 0] -= y
            } else {
                lossSum -= Double(Foundation.log(min(max(p[r, target], eps), 1 - eps)))
                delta[r, target] -= 1
            }
        }
        let w1 = network.hiddenWeights.matrix, w2 = network.outputWeights.matrix
        let loss = lossSum / Double(b) + Double(0.5 * alpha * (Self.squaredSum(w1.values) + Self.squaredSum(w2.values))) / Double(b)
        // Output layer gradients.
        var gradW2 = BLAS.multiply(h, transposed: true, delta)
        var gradB2 = [Float](repeating: 0, count: outputs)
        for r in 0..<b { for j in 0..<outputs { gradB2[j] += delta[r, j] } }
        // Hidden deltas through the ReLU.
        var deltaH = BLAS.multiply(delta, transposed: false, w2, transposed: true)
        deltaH.values.withUnsafeMutableBufferPointer { dh in
            h.values.withUnsafeBufferPointer { hv in for k in dh.indices where hv[k] == 0 { dh[k] = 0 } }
        }
        var gradW1 = BLAS.multiply(inputs, transposed: true, deltaH)
        var gradB1 = [Float](repeating: 0, count: deltaH.columns)
        for r in 0..<b { for j in 0..<deltaH.columns { gradB1[j] += deltaH[r, j] } }
        let scale = 1 / Float(b)
        Self.penalise(&gradW1.values, w1.values, alpha, scale)
        Self.penalise(&gradW2.values, w2.values, alpha, scale)
        for k in gradB1.indices { gradB1[k] *= scale }
        for k in gradB2.indices { gradB2[k] *= scale }
        // Adam.
        t += 1
        let rate = Float(learningRate * (1 - Foundation.pow(0.999, Double(t))).squareRoot() / (1 - Foundation.pow(0.9, Double(t))))
        Self.adam(&network.hiddenWeights.matrix.values, gradW1.values, &moments[0], &squares[0], rate)
        Self.adam(&network.hiddenBiases, gradB1, &moments[1], &squares[1], rate)
        Self.adam(&network.outputWeights.matrix.values, gradW2.values, &moments[2], &squares[2], rate)
        Self.adam(&network.outputBiases, gradB2, &moments[3], &squares[3], rate)
        return loss
    }

    /// `Σ v²`.
    private static func squaredSum(_ values: [Float]) -> Float {
        values.withUnsafeBufferPointer { v in
            var sum: Float = 0
            for x in v { sum += x * x }
            return sum
        }
    }

    /// `gradient ← (gradient + alpha · weights) · scale`.
    private static func penalise(_ gradient: inout [Float], _ weights: [Float], _ alpha: Float, _ scale: Float) {
        gradient.withUnsafeMutableBufferPointer { g in
            weights.withUnsafeBufferPointer { w in for k in g.indices { g[k] = (g[k] + alpha * w[k]) * scale } }
        }
    }

    /// `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g²`, `θ ← θ − rate · m / (√v + ε)`.
    private static func adam(_ parameters: inout [Float], _ gradient: [Float], _ moment: inout [Float],
                             _ square: inout [Float], _ rate: Float) {
        moment.withUnsafeMutableBufferPointer { m in
            square.withUnsafeMutableBufferPointer { v in
                parameters.withUnsafeMutableBufferPointer { p in
                    gradient.withUnsafeBufferPointer { gradient in
                        for k in p.indices {
                            let g = gradient[k]
                            m[k] = 0.9 * m[k] + 0.1 * g
                            v[k] = 0.999 * v[k] + 0.001 * g * g
                            p[k] -= rate * m[k] / (v[k].squareRoot() + 1e-8)
                        }
                    }
                }
            }
        }
    }
}
