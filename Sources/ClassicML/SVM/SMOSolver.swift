/// libsvm's `Solver` for one binary C-SVC problem (`svm.cpp`, as scikit-learn ships it):
/// minimise `½ αᵀQα − Σα` subject to `0 ≤ α ≤ C` and `yᵀα = 0`, two variables at a time, the
/// pair chosen by the second-order working-set rule (WSS3), until the maximal violation
/// `Gmax + Gmax2` falls below `tolerance`. The same comparisons as libsvm (`>=`, so the last of
/// equal candidates wins) keep the iterates identical in exact arithmetic; libsvm's shrinking only
/// saves work and is not done here (the whole kernel is in memory).
struct SMOSolver {
    /// The penalty `C`.
    var c: Double
    /// libsvm's `eps` (scikit-learn's `tol`).
    var tolerance: Double
    /// The iteration limit.
    var maxIterations: Int

    /// The solution of one problem.
    struct Solution {
        /// `α_i · y_i` for every row.
        var coefficients: [Double]
        /// The offset: decision = Σ coefficient · K(x_i, x) − rho.
        var rho: Double
        /// Iterations taken.
        var iterations: Int
    }

    /// libsvm's τ: the smallest curvature allowed along a working pair.
    private static let tau = 1e-12

    /// Solves the problem over `m` rows whose kernel matrix is `kernel` (m × m, row-major, with
    /// ones on the diagonal for the RBF kernel) and whose labels are `y` (±1).
    func solve(kernel: UnsafeBufferPointer<Float>, y: [Float], m: Int) -> Solution {
        var alpha = [Double](repeating: 0, count: m)
        var gradient = [Double](repeating: -1, count: m)
        let diagonal = (0..<m).map { Double(kernel[$0 * m + $0]) }
        var iterations = 0
        while iterations < maxIterations {
            guard let (i, j) = workingSet(kernel, y, alpha, gradient, diagonal, m) else { break }
            iterations += 1
            let kij = Double(kernel[i * m + j])
            let qij = Double(y[i] * y[j]) * kij
            let oldI = alpha[i], oldJ = alpha[j]
            if y[i] != y[j] {
                var quad = diagonal[i] + diagonal[j] + 2 * qij
                if quad <= 0 { quad = Self.tau }
                let delta = (-gradient[i] - gradient[j]) / quad
                let diff = alpha[i] - alpha[j]
                alpha[i] += delta; alpha[j] += delta
                if diff > 0 {
                    if alpha[j] < 0 { alpha[j] = 0; alpha[i] = diff }
                } else if alpha[i] < 0 {
                    alpha[i] = 0; alpha[j] = -diff
                }
                if diff > 0 {
                    if alpha[i] > c { alpha[i] = c; alpha[j] = c - diff }
                } else if alpha[j] > c {
                    alpha[j] = c; alpha[i] = c + diff
                }
            } else {
                var quad = diagonal[i] + diagonal[j] - 2 * qij
                if quad <= 0 { quad = Self.tau }
                let delta = (gradient[i] - gradient[j]) / quad
                let sum = alpha[i] + alpha[j]
                alpha[i] -= delta; alpha[j] += delta
                if sum > c {
                    if alpha[i] > c { alpha[i] = c; alpha[j] = sum - c }
                } else if alpha[j] < 0 {
                    alpha[j] = 0; alpha[i] = sum
                }
                if sum > c {
                    if alpha[j] > c { alpha[j] = c; alpha[i] = sum - c }
                } else if alpha[i] < 0 {
                    alpha[i] = 0; alpha[j] = sum
                }
            }
            // G_k += Q_ik Δα_i + Q_jk Δα_j, with Q_ik = y_i y_k K_ik.
            let stepI = Double(y[i]) * (alpha[i] - oldI), stepJ = Double(y[j]) * (alpha[j] - oldJ)
            let rowI = i * m, rowJ = j * m
            for k in 0..<m {
                gradient[k] += Double(y[k]) * (stepI * Double(kernel[rowI + k]) + stepJ * Double(kernel[rowJ + k]))
            }
        }
        return Solution(coefficients: (0..<m).map { alpha[$0] * Double(y[$0]) },
                        rho: rho(y, alpha, gradient, m), iterations: iterations)
    }

    /// WSS3: `i` maximises `−y_i G_i` over I_up, `j` minimises the second-order decrease over
    /// I_low; nil when the maximal violation is below the tolerance.
    private func workingSet(_ kernel: UnsafeBufferPointer<Float>, _ y: [Float], _ alpha: [Double],
                            _ gradient: [Double], _ diagonal: [Double], _ m: Int) -> (Int, Int)? {
        var gMax = -Double.infinity, gMax2 = -Double.infinity
        var iBest = -1, jBest = -1
        var objectiveMin = Double.infinity
        for t in 0..<m {
            if y[t] > 0 {
                if alpha[t] < c, -gradient[t] >= gMax { gMax = -gradient[t]; iBest = t }
            } else if alpha[t] > 0, gradient[t] >= gMax {
                gMax = gradient[t]; iBest = t
            }
        }
        guard iBest >= 0 else { return nil }
        let i = iBest, rowI = i * m
        for t in 0..<m {
            let gradDiff: Double
            if y[t] > 0 {
                guard alpha[t] > 0 else { continue }
                gradDiff = gMax + gradient[t]
                if gradient[t] >= gMax2 { gMax2 = gradient[t] }
            } else {
                guard alpha[t] < c else { continue }
                gradDiff = gMax - gradient[t]
                if -gradient[t] >= gMax2 { gMax2 = -gradient[t] }
            }
            guard gradDiff > 0 else { continue }
            // libsvm's QD_i + QD_t ∓ 2 y_i Q_it, which is QD_i + QD_t − 2 K_it for either label.
            let quad = diagonal[i] + diagonal[t] - 2 * Double(kernel[rowI + t])
            let objective = -(gradDiff * gradDiff) / (quad > 0 ? quad : Self.tau)
            if objective <= objectiveMin { jBest = t; objectiveMin = objective }
        }
        guard gMax + gMax2 >= tolerance, jBest >= 0 else { return nil }
        return (i, jBest)
    }

    /// libsvm's `calculate_rho`: the mean of `y_i G_i` over free variables, else the midpoint of
    /// the bounds the others impose.
    private func rho(_ y: [Float], _ alpha: [Double], _ gradient: [Double], _ m: Int) -> Double {
        var upper = Double.infinity, lower = -Double.infinity, sumFree = 0.0, free = 0
        for i in 0..<m {
            let yG = Double(y[i]) * gradient[i]
            if alpha[i] >= c {
                if y[i] < 0 { upper = min(upper, yG) } else { lower = max(lower, yG) }
            } else if alpha[i] <= 0 {
                if y[i] > 0 { upper = min(upper, yG) } else { lower = max(lower, yG) }
            } else {
                free += 1
                sumFree += yG
            }
        }
        return free > 0 ? sumFree / Double(free) : (upper + lower) / 2
    }
}
