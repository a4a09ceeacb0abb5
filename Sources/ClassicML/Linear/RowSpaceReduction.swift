import CLAPACKE
import COpenBLAS
import LinearAlgebra

/// The exact change of variables that makes wide data (d > n) cheap for L2-regularised linear
/// models.
///
/// Any n × r matrix `F` with `F Fᵀ = G = X Xᵀ` has the same Gram matrix as `X`. Every solver
/// here — L-BFGS, dual coordinate descent, SGD, passive-aggressive — touches the data only
/// through inner products `x_i · w` and updates `w` along data rows, starting from 0, so it
/// stays in the row space: running it on `F` and mapping back with `w = Xᵀ a`, `a = B w̃`, gives
/// the same scores (`X w = F w̃`) and the same norm (`‖w‖ = ‖w̃‖`). Each step then costs O(r)
/// instead of O(d); the price is one `ssyrk` (n²d flops) and an n × n factorisation.
///
/// `F` is the Cholesky factor `L` (`B = L⁻ᵀ`) when `G` is positive definite. When it is not —
/// standardised columns sum to zero, so the rows of the grid's scaled matrices are linearly
/// dependent and `G` is singular up to float rounding; duplicate rows do the same — `F` is
/// `U Λ^½` over the eigenvalues of `G` above rounding noise (`B = U Λ^-½`): the dropped
/// directions carry no data, so the problem solved is still the original one.
struct RowSpaceReduction {
    /// The n × r factor `F`, used as features in place of `X`.
    let features: Matrix
    /// How reduced weights map back to row coefficients `a`.
    private let basis: Basis
    /// The value of an appended constant column folded into the Gram matrix, or nil.
    private let constant: Float?

    /// The map `a = B w̃` from reduced weights to coefficients of the training rows.
    private enum Basis {
        /// `B = L⁻ᵀ`: a back-substitution through the lower-triangular n × n `L`, in `Double`.
        case cholesky([Double])
        /// `B = U Λ^-½`, stored n × r row-major.
        case spectral([Double])
    }

    /// Builds the reduction when it pays (more columns than rows); returns nil otherwise (or if
    /// `G` has no positive eigenvalue), and the caller solves on `x` itself.
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
        var lower = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { lower[i * n + j] = Double(gram[i * n + j]) + extra } }
        self.constant = constant
        var factor = lower
        if LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), &factor, Int32(n)) == 0 {
            basis = .cholesky(factor)
            features = Matrix(rows: n, columns: n, values: factor.map { Float($0) })
            return
        }
        guard let (features, map) = Self.spectral(lower, size: n) else { return nil }
        self.features = features
        basis = .spectral(map)
    }

    /// `F = U Λ^½` and `B = U Λ^-½` over the eigenvalues of the symmetric `gram` (lower triangle
    /// read) above `λ_max · n · ε_float` — the rounding of a float32 Gram matrix.
    private static func spectral(_ gram: [Double], size n: Int) -> (features: Matrix, map: [Double])? {
        var vectors = gram
        var values = [Double](repeating: 0, count: n)
        let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")),
                                  Int32(n), &vectors, Int32(n), &values)
        guard info == 0, let top = values.last, top > 0 else { return nil }
        let kept = values.indices.filter { values[$0] > top * Double(n) * Double(Float.ulpOfOne) }
        let r = kept.count
        var features = Matrix(rows: n, columns: r)
        var map = [Double](repeating: 0, count: n * r)
        for (t, e) in kept.enumerated() {
            let root = values[e].squareRoot()
            for i in 0..<n {
                features[i, t] = Float(vectors[i * n + e] * root)
                map[i * r + t] = vectors[i * n + e] / root
            }
        }
        return (features, map)
    }

    /// Maps weights learned on `features` back to the original columns.
    /// - Parameters:
    ///   - reduced: k × r weights over `features`.
    ///   - x: the n × d training rows the reduction was built from.
    /// - Returns: k × d weights over `x`'s columns, and the k weights of the appended constant
    ///   column (zeros when there is none).
    func lift(_ reduced: Matrix, through x: Matrix) -> (weights: Matrix, constantWeights: [Float]) {
        let n = features.rows, r = features.columns, k = reduced.rows
        // a = B w̃ for every score, n × k.
        var rhs = [Double](repeating: 0, count: n * k)
        switch basis {
        case .cholesky(var l):
            // Solve Lᵀ A = W̃ᵀ (n × k right-hand sides).
            for s in 0..<k { for i in 0..<n { rhs[i * k + s] = Double(reduced[s, i]) } }
            _ = LAPACKE_dtrtrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int8(UInt8(ascii: "T")),
                               Int8(UInt8(ascii: "N")), Int32(n), Int32(k), &l, Int32(n), &rhs, Int32(k))
        case .spectral(let map):
            for i in 0..<n {
                for s in 0..<k {
                    var sum = 0.0
                    for t in 0..<r { sum += map[i * r + t] * Double(reduced[s, t]) }
                    rhs[i * k + s] = sum
                }
            }
        }
        let a = Matrix(rows: n, columns: k, values: rhs.map { Float($0) })
        let weights = BLAS.multiply(a, transposed: true, x)
        let constantWeights = (0..<k).map { s in
            Float((0..<n).reduce(0.0) { $0 + rhs[$1 * k + s] } * Double(constant ?? 0))
        }
        return (weights, constantWeights)
    }
}
