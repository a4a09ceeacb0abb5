import LinearAlgebra

/// liblinear's dual coordinate descent for the L2-regularised squared-hinge SVM
/// (`solve_l2r_l1l2_svc` with L2 loss, as in scikit-learn's `LinearSVC`): minimise
/// `½‖w‖² + C Σ max(0, 1 − y_i w·x_i)²` through its dual, one α_i at a time, in a freshly
/// shuffled order each pass, with liblinear's shrinking and its projected-gradient stopping rule.
struct DualCoordinateDescent {
    /// The penalty `C`.
    var c: Double
    /// Stop when the spread of projected gradients in a pass is at most this (liblinear's eps).
    var tolerance: Double
    /// The pass limit.
    var maxIterations: Int
    /// The value of the regularised bias feature appended to every row (0: none).
    var bias: Float

    /// The solution of one binary problem.
    struct Solution: Sendable {
        /// The weights over the columns of the rows solved on.
        var weights: [Float]
        /// The weight of the bias feature.
        var biasWeight: Float
        /// Passes made.
        var iterations: Int
    }

    /// Solves one binary problem.
    /// - Parameters:
    ///   - x: n × d rows.
    ///   - squaredNorms: `‖x_i‖²` of every row (shared by all one-vs-rest problems).
    ///   - y: ±1 targets.
    ///   - seed: seeds the pass order.
    /// - Returns: the primal weights.
    func solve(_ x: Matrix, squaredNorms: [Float], y: [Float], seed: UInt64) -> Solution {
        let n = x.rows, d = x.columns
        let diagonal = 0.5 / c
        let bias2 = Double(bias) * Double(bias)
        let qd = squaredNorms.map { Double($0) + bias2 + diagonal }
        var alpha = [Double](repeating: 0, count: n)
        var w = [Float](repeating: 0, count: d)
        var wBias: Float = 0
        var order = Array(0..<n)
        var generator = SeededGenerator(seed: seed)
        var active = n
        var pgMaxOld = Double.infinity   // liblinear's PGmax_old (no upper bound: no PGmin_old)
        var iteration = 0
        x.values.withUnsafeBufferPointer { xv in
            w.withUnsafeMutableBufferPointer { wv in
                guard let xb = xv.baseAddress, let wb = wv.baseAddress else { return }
                while iteration < maxIterations {
                    var pgMax = -Double.infinity, pgMin = Double.infinity
                    for s in 0..<active { order.swapAt(s, s + Int(generator.next() % UInt64(active - s))) }
                    var s = 0
                    while s < active {
                        let i = order[s]
                        let row = xb + i * d
                        let margin = VectorKernels.dot(wb, row, d) + wBias * bias
                        let g = Double(y[i]) * Double(margin) - 1 + alpha[i] * diagonal
                        var pg = 0.0
                        if alpha[i] == 0 {
                            if g > pgMaxOld {   // shrink: this α stays at its bound
                                active -= 1
                                order.swapAt(s, active)
                                continue
                            }
                            if g < 0 { pg = g }
                        } else {
                            pg = g
                        }
                        pgMax = max(pgMax, pg)
                        pgMin = min(pgMin, pg)
                        if abs(pg) > 1e-12 {
                            let old = alpha[i]
                            alpha[i] = max(old - g / qd[i], 0)
                            let step = Float((alpha[i] - old) * Double(y[i]))
                            VectorKernels.axpy(step, row, wb, d)
                            wBias += step * bias
                        }
                        s += 1
                    }
                    iteration += 1
                    if pgMax - pgMin <= tolerance {
                        if active == n { break }
                        active = n   // re-check every α before stopping
                        pgMaxOld = .infinity
                        continue
                    }
                    pgMaxOld = pgMax <= 0 ? .infinity : pgMax
                }
            }
        }
        return Solution(weights: w, biasWeight: wBias, iterations: iteration)
    }
}
