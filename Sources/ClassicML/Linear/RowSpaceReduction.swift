import LinearAlgebra

/// The exact change of variables that makes wide data (d > n) cheap for L2-regularised linear
/// models.
///
/// Any n × r matrix `F` with `F Fᵀ = G = X Xᵀ` has the same Gram matrix as `X`. Every solver
/// here — L-BFGS, dual coordinate descent, SGD, passive-aggressive — touches the data only
/// through inner products `x_i · w` and updates `w` along data rows, starting from 0, so it
/// stays in the row space: running it on `F` and mapping back with `w = Xᵀ a` gives the same
/// scores (`X w = F w̃`) and the same norm (`‖w‖ = ‖w̃‖`). Each step then costs O(r) instead of
/// O(d); the price is one `ssyrk` (n²d flops) and an n × n Cholesky factorisation (n³/3).
///
/// `F` is the Cholesky factor `L` (`a = L⁻ᵀ w̃`) when `G` is positive definite. When it is not —
/// standardised columns sum to zero, so the rows of the grid's scaled matrices are linearly
/// dependent and `G` is singular up to float rounding; duplicate rows do the same — `F` comes
/// from the pivoted Cholesky factorisation `Pᵀ G P = L Lᵀ` stopped at rank r, where the
/// remaining pivots fall below float rounding: `F = P L` (n × r), and `a` is `P [L₁⁻ᵀ w̃; 0]`
/// with `L₁` the leading r × r block. The dropped directions carry no data, so the problem
/// solved is still the original one.
struct RowSpaceReduction {
    /// The n × r factor `F`, used as features in place of `X`.
    let features: Matrix
    /// The n × n factor in `Double` (its leading `features.columns` columns are `L`), for the
    /// back-substitution.
    private let factor: [Double]
    /// `order[i]`: the training row of the factor's row `i` (the identity without pivoting).
    private let order: [Int]
    /// The value of an appended constant column folded into the Gram matrix, or nil.
    private let constant: Float?

    /// Builds the reduction when it pays (more columns than rows); returns nil otherwise (or if
    /// `G` is zero), and the caller solves on `x` itself.
    /// - Parameters:
    ///   - x: n × d training rows.
    ///   - constant: the value of an extra column appended to every row (LinearSVC's
    ///     regularised intercept feature), or nil for none.
    init?(_ x: Matrix, appendingConstant constant: Float? = nil) {
        let n = x.rows, d = x.columns + (constant == nil ? 0 : 1)
        guard d > n else { return nil }
        let gram = BLAS.gram(x)
        let extra = constant.map { Double($0) * Double($0) } ?? 0
        var lower = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { lower[i * n + j] = Double(gram[i * n + j]) + extra } }
        self.constant = constant
        var factor = lower
        var order = Array(0..<n), rank = n
        if !LAPACK.choleskyFactor(&factor, size: n) {
            // Singular: pivot, and stop where the pivots reach the rounding of a float32 Gram matrix.
            factor = lower
            let largest = (0..<n).map { lower[$0 * n + $0] }.max() ?? 0
            guard largest > 0,
                  let pivoted = LAPACK.pivotedCholesky(&factor, size: n,
                                                       tolerance: largest * Double(n) * Double(Float.ulpOfOne))
            else { return nil }
            (order, rank) = pivoted
        }
        var features = Matrix(rows: n, columns: rank)
        for i in 0..<n { for t in 0..<min(i + 1, rank) { features[order[i], t] = Float(factor[i * n + t]) } }
        self.features = features
        self.factor = factor
        self.order = order
    }

    /// Maps weights learned on `features` back to the original columns.
    /// - Parameters:
    ///   - reduced: k × r weights over `features`.
    ///   - x: the n × d training rows the reduction was built from.
    /// - Returns: k × d weights over `x`'s columns, and the k weights of the appended constant
    ///   column (zeros when there is none).
    func lift(_ reduced: Matrix, through x: Matrix) -> (weights: Matrix, constantWeights: [Float]) {
        let n = features.rows, r = features.columns, k = reduced.rows
        // [L₁⁻ᵀ w̃; 0] for every score: solve L₁ᵀ A = W̃ᵀ (r × k right-hand sides), in factor order.
        var solved = [Double](repeating: 0, count: r * k)
        for s in 0..<k { for i in 0..<r { solved[i * k + s] = Double(reduced[s, i]) } }
        _ = LAPACK.solveLowerTransposed(factor, stride: n, order: r, &solved, rightHandSides: k)
        var rhs = [Double](repeating: 0, count: n * k)   // a, n × k, in training-row order
        for i in 0..<r { for s in 0..<k { rhs[order[i] * k + s] = solved[i * k + s] } }
        let a = Matrix(rows: n, columns: k, values: rhs.map { Float($0) })
        let weights = BLAS.multiply(a, transposed: true, x)
        let constantWeights = (0..<k).map { s in
            Float((0..<n).reduce(0.0) { $0 + rhs[$1 * k + s] } * Double(constant ?? 0))
        }
        return (weights, constantWeights)
    }
}
