import Foundation
import LinearAlgebra

/// scikit-learn's `_plain_sgd` for one binary problem (±1 targets): a pass over the shuffled
/// rows per epoch, `w` kept as `scale · v` so the L2 shrink is O(1), and the stop after
/// `noImprovementLimit` epochs whose mean objective failed to beat the best by `tolerance`.
struct PlainSGD {
    /// The per-sample loss (the public `SGDClassifier.Loss`).
    typealias Loss = SGDClassifier.Loss

    /// How the step is chosen.
    enum Rule {
        /// Gradient steps with L2 penalty `alpha` and `eta_t = 1 / (alpha · (t0 + t − 1))`,
        /// `t0` from Bottou's heuristic (scikit-learn's 'optimal').
        case optimal(alpha: Double)
        /// Passive-aggressive PA-I: step `min(C, loss / ‖x‖²)`, no penalty.
        case passiveAggressive(c: Double)
    }

    var loss: Loss
    var rule: Rule
    /// Epoch limit (scikit-learn's `max_iter`).
    var maxEpochs: Int
    /// The required improvement of the mean objective (scikit-learn's `tol`).
    var tolerance: Double
    /// Epochs without improvement that stop the run (scikit-learn's `n_iter_no_change`).
    var noImprovementLimit: Int

    /// The solution of one binary problem.
    struct Solution: Sendable {
        var weights: [Float]
        var intercept: Float
        var epochs: Int
    }

    /// Solves one binary problem.
    /// - Parameters:
    ///   - x: n × d rows.
    ///   - squaredNorms: `‖x_i‖²` of every row.
    ///   - y: ±1 targets.
    ///   - seed: seeds the shuffles.
    func solve(_ x: Matrix, squaredNorms: [Float], y: [Float], seed: UInt64) -> Solution {
        let n = x.rows, d = x.columns
        var v = [Float](repeating: 0, count: d)
        var scale = 1.0, squaredNorm = 0.0, intercept = 0.0
        var order = Array(0..<n)
        var generator = SeededGenerator(seed: seed)
        var t = 1.0
        var best = Double.infinity, stale = 0, epochs = 0
        var alpha = 0.0, t0 = 0.0, c = 0.0
        switch rule {
        case .optimal(let a):
            alpha = a
            let typical = (1 / a.squareRoot()).squareRoot()
            let eta0 = typical / max(1, loss.derivative(-typical, 1))
            t0 = 1 / (eta0 * a)
        case .passiveAggressive(let cValue):
            c = cValue
        }
        x.values.withUnsafeBufferPointer { xv in
            v.withUnsafeMutableBufferPointer { vv in
                guard let xb = xv.baseAddress, let vb = vv.baseAddress else { return }
                while epochs < maxEpochs {
                    order.shuffle(using: &generator)
                    var objective = 0.0
                    for i in order {
                        let row = xb + i * d
                        let target = Double(y[i])
                        let wx = scale * Double(VectorKernels.dot(vb, row, d))
                        let p = wx + intercept
                        objective += loss.value(p * target)
                        var update: Double, shrink = 1.0
                        switch rule {
                        case .optimal:
                            let eta = 1 / (alpha * (t0 + t - 1))
                            objective += alpha * 0.5 * squaredNorm
                            update = -eta * min(max(loss.derivative(p, target), -1e12), 1e12)
                            shrink = max(0, 1 - eta * alpha)
                        case .passiveAggressive:
                            let xx = Double(squaredNorms[i])
                            guard xx > 0 else { continue }
                            update = min(c, loss.value(p * target) / xx) * target
                        }
                        // w ← shrink·w + update·x, tracking ‖w‖² in O(1).
                        scale *= shrink
                        let xx = Double(squaredNorms[i])
                        squaredNorm = shrink * shrink * squaredNorm + 2 * update * shrink * wx + update * update * xx
                        if scale < 1e-9 {
                            VectorKernels.scale(Float(scale), vb, d)
                            scale = 1
                        }
                        if update != 0 {
                            VectorKernels.axpy(Float(update / scale), row, vb, d)
                            intercept += update
                        }
                        t += 1
                    }
                    epochs += 1
                    let mean = objective / Double(n)
                    stale = mean > best - tolerance ? stale + 1 : 0
                    best = min(best, mean)
                    if stale >= noImprovementLimit { break }
                }
            }
        }
        return Solution(weights: v.map { $0 * Float(scale) }, intercept: Float(intercept), epochs: epochs)
    }
}

extension SGDClassifier.Loss {
    /// The loss at margin `z = y·p`.
    func value(_ z: Double) -> Double {
        switch self {
        case .hinge: return z <= 1 ? 1 - z : 0
        case .log: return z > 18 ? Foundation.exp(-z) : (z < -18 ? -z : log1p(Foundation.exp(-z)))
        case .modifiedHuber: return z >= 1 ? 0 : (z >= -1 ? (1 - z) * (1 - z) : -4 * z)
        }
    }

    /// `∂loss/∂p` at score `p` for target `y`.
    func derivative(_ p: Double, _ y: Double) -> Double {
        let z = p * y
        switch self {
        case .hinge: return z <= 1 ? -y : 0
        case .log: return z > 18 ? -y * Foundation.exp(-z) : (z < -18 ? -y : -y / (Foundation.exp(z) + 1))
        case .modifiedHuber: return z >= 1 ? 0 : (z >= -1 ? -2 * (1 - z) * y : -4 * y)
        }
    }
}
