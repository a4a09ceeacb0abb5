/// Limited-memory BFGS minimisation in `Double`, with scipy's L-BFGS-B stopping rules (the ones
/// scikit-learn's `lbfgs` solver uses): stop when the largest gradient component is at most
/// `gradientTolerance`, or when the relative decrease of the objective falls to
/// `64 · ε` (scipy's `ftol` as scikit-learn sets it).
struct LBFGS {
    /// Correction pairs kept (scipy's `maxcor`, 10).
    var memory = 10
    /// The largest allowed gradient component at convergence (scikit-learn's `tol`).
    var gradientTolerance: Double
    /// The iteration limit (scikit-learn's `max_iter`).
    var maxIterations: Int
    /// Backtracking steps allowed per line search (scipy's `maxls`, 50).
    var maxLineSearchSteps = 50

    /// The outcome of a minimisation.
    struct Result {
        /// The minimiser found.
        var x: [Double]
        /// Iterations taken.
        var iterations: Int
        /// Whether a stopping rule (not the iteration limit) ended the run.
        var converged: Bool
    }

    /// Minimises `objective` from `start`.
    /// - Parameters:
    ///   - start: the initial point.
    ///   - objective: writes the gradient at `x` into `gradient` and returns the value.
    /// - Returns: the final point, the iteration count and whether it converged.
    func minimize(from start: [Double],
                  _ objective: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> Result {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var f = objective(x, &g)
        var s = [[Double]](), y = [[Double]](), rho = [Double]()
        var direction = [Double](repeating: 0, count: n)
        var xNew = x, gNew = g
        var iterations = 0
        while iterations < maxIterations {
            if maxAbs(g) <= gradientTolerance { return Result(x: x, iterations: iterations, converged: true) }
            searchDirection(g, s, y, rho, into: &direction)
            var slope = dot(direction, g)
            if slope >= 0 {   // not a descent direction: restart from steepest descent
                s.removeAll(); y.removeAll(); rho.removeAll()
                for i in 0..<n { direction[i] = -g[i] }
                slope = -dot(g, g)
            }
            var step = s.isEmpty ? min(1, 1 / dot(g, g).squareRoot()) : 1
            var fNew = f
            var accepted = false
            for _ in 0..<maxLineSearchSteps {
                for i in 0..<n { xNew[i] = x[i] + step * direction[i] }
                fNew = objective(xNew, &gNew)
                if fNew <= f + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            iterations += 1
            guard accepted else { return Result(x: x, iterations: iterations, converged: false) }
            var sk = [Double](repeating: 0, count: n), yk = sk
            for i in 0..<n { sk[i] = xNew[i] - x[i]; yk[i] = gNew[i] - g[i] }
            let sy = dot(sk, yk)
            if sy > 1e-10 * dot(yk, yk) {
                if s.count == memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
                s.append(sk); y.append(yk); rho.append(1 / sy)
            }
            let decrease = (f - fNew) / max(abs(f), abs(fNew), 1)
            swap(&x, &xNew); swap(&g, &gNew)
            f = fNew
            if decrease <= 64 * Double.ulpOfOne {
                return Result(x: x, iterations: iterations, converged: true)
            }
        }
        return Result(x: x, iterations: iterations, converged: maxAbs(g) <= gradientTolerance)
    }

    /// The two-loop recursion: `direction = −H·g` with the stored correction pairs.
    private func searchDirection(_ g: [Double], _ s: [[Double]], _ y: [[Double]], _ rho: [Double],
                                 into direction: inout [Double]) {
        let n = g.count
        for i in 0..<n { direction[i] = -g[i] }
        var alpha = [Double](repeating: 0, count: s.count)
        for j in stride(from: s.count - 1, through: 0, by: -1) {
            alpha[j] = rho[j] * dot(s[j], direction)
            for i in 0..<n { direction[i] -= alpha[j] * y[j][i] }
        }
        if let last = s.indices.last {
            let gamma = dot(s[last], y[last]) / dot(y[last], y[last])
            for i in 0..<n { direction[i] *= gamma }
        }
        for j in s.indices {
            let beta = rho[j] * dot(y[j], direction)
            for i in 0..<n { direction[i] += (alpha[j] - beta) * s[j][i] }
        }
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    private func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
}
