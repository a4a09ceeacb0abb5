import CLAPACKE
import COpenBLAS
import LinearAlgebra

/// The exact change of variables that makes wide data (d > n) cheap for L2-regularised linear
/// models.
///
/// With `G = X Xᵀ = L Lᵀ` (Cholesky), the n × n matrix `L` has the same Gram matrix as `X`.
/// Every solver here — L-BFGS, dual coordinate descent, SGD, passive-aggressive — touches the
/// data only through inner products `x_i · w` and updates `w` along data rows, starting from 0,
/// so it stays in the row space: running it on `L` and mapping back with
/// `w = Xᵀ L⁻ᵀ w̃` gives the same scores (`X w = L w̃`) and the same norm (`‖w‖ = ‖w̃‖`).
/// Each step then costs O(n) instead of O(d); the price is one `ssyrk` (n²d flops).
struct RowSpaceReduction {
    /// The n × n lower-triangular factor `L`, used as features in place of `X`.
    let features: Matrix
    /// `L` in `Double`, for the back-substitution.
    private let factor: [Double]
    /// The value of an appended constant column folded into the Gram matrix, or nil.
    private let constant: Float?

    /// Builds the reduction when it pays (more columns than rows) and the Gram matrix is
    /// positive definite; returns nil otherwise, and the caller solves on `x` itself.
    /// - Parameters:
    ///   - x: n × d training rows.
    ///   - constant: the value of an extra column appended to every row (LinearSVC's
    ///     regularised intercept feature), or nil for none.
    init?(_ x: Matrix, appendingConstant constant: Float? = nil) {
        let n = x.rows, d = x.columns + (constant == nil ? 0 : 1)
        guard d > n else { return nil }
        var gram = [Float](repeating: 0, count: n * n)
        x.values.withUnsafeBufferPointer { xv in
            gram.withUnsafeMutableBufferPointer { g in
                guard let a = xv.baseAddress, let c = g.baseAddress else { return }
                cblas_ssyrk(CblasRowMajor, CblasLower, CblasNoTrans, Int32(n), Int32(x.columns),
                            1, a, Int32(x.columns), 0, c, Int32(n))
            }
        }
        let extra = constant.map { Double($0) * Double($0) } ?? 0
        var factor = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { factor[i * n + j] = Double(gram[i * n + j]) + extra } }
        let info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), &factor, Int32(n))
        guard info == 0 else { return nil }
        self.factor = factor
        self.constant = constant
        features = Matrix(rows: n, columns: n, values: factor.map { Float($0) })
    }

    /// Maps weights learned on `features` back to the original columns.
    /// - Parameters:
    ///   - reduced: k × n weights over `features`.
    ///   - x: the n × d training rows the reduction was built from.
    /// - Returns: k × d weights over `x`'s columns, and the k weights of the appended constant
    ///   column (zeros when there is none).
    func lift(_ reduced: Matrix, through x: Matrix) -> (weights: Matrix, constantWeights: [Float]) {
        let n = features.rows, k = reduced.rows
        // a = L⁻ᵀ w̃ for every score: solve Lᵀ A = W̃ᵀ (n × k right-hand sides).
        var rhs = [Double](repeating: 0, count: n * k)
        for s in 0..<k { for i in 0..<n { rhs[i * k + s] = Double(reduced[s, i]) } }
        var l = factor
        _ = LAPACKE_dtrtrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int8(UInt8(ascii: "T")),
                           Int8(UInt8(ascii: "N")), Int32(n), Int32(k), &l, Int32(n), &rhs, Int32(k))
        let a = Matrix(rows: n, columns: k, values: rhs.map { Float($0) })
        let weights = BLAS.multiply(a, transposed: true, x)
        let constantWeights = (0..<k).map { s in
            Float((0..<n).reduce(0.0) { $0 + rhs[$1 * k + s] } * Double(constant ?? 0))
        }
        return (weights, constantWeights)
    }
}
