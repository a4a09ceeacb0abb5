import CLAPACKE

/// Thin wrappers over the LAPACK routines the project needs, all on row-major `Double` storage.
///
/// Each returns LAPACK's `info` or a value derived from it; a negative `info` (an invalid
/// argument) cannot happen for the shapes these wrappers pass and is treated as a failure.
public enum LAPACK {
    private static let lower = Int8(UInt8(ascii: "L"))

    /// Solves `A X = B` for symmetric positive-definite `A` by Cholesky (`dposv`), reading `A`'s
    /// lower triangle.
    /// - Parameters:
    ///   - a: the `size × size` matrix; overwritten with its Cholesky factor.
    ///   - b: the `size × rightHandSides` right-hand sides; overwritten with the solution.
    ///   - size: the order of `A`.
    ///   - rightHandSides: the number of columns of `B`.
    /// - Returns: true on success, false when `A` is not positive definite.
    public static func choleskySolve(_ a: inout [Double], _ b: inout [Double], size: Int, rightHandSides: Int) -> Bool {
        precondition(a.count == size * size && b.count == size * rightHandSides, "choleskySolve: shapes disagree")
        return LAPACKE_dposv(LAPACK_ROW_MAJOR, lower, Int32(size), Int32(rightHandSides),
                             &a, Int32(size), &b, Int32(rightHandSides)) == 0
    }

    /// The Cholesky factor `L` of a symmetric positive-definite matrix (`dpotrf`, lower).
    /// - Parameters:
    ///   - a: the `size × size` matrix (lower triangle read); overwritten with `L` in its lower
    ///     triangle.
    ///   - size: the order.
    /// - Returns: true on success, false when the matrix is not positive definite.
    public static func choleskyFactor(_ a: inout [Double], size: Int) -> Bool {
        precondition(a.count == size * size, "choleskyFactor: shape")
        return LAPACKE_dpotrf(LAPACK_ROW_MAJOR, lower, Int32(size), &a, Int32(size)) == 0
    }

    /// The pivoted Cholesky factorisation `Pᵀ A P = L Lᵀ` of a positive semi-definite matrix,
    /// stopped where the remaining pivots fall to `tolerance` (`dpstrf`, lower).
    /// - Parameters:
    ///   - a: the `size × size` matrix (lower triangle read); overwritten with `L`.
    ///   - size: the order.
    ///   - tolerance: the pivot below which the factorisation stops.
    /// - Returns: the permutation (`pivots[i]` is the original row of factor row `i`, from 0)
    ///   and the rank reached, or nil when LAPACK fails or the rank is zero.
    public static func pivotedCholesky(_ a: inout [Double], size: Int, tolerance: Double) -> (pivots: [Int], rank: Int)? {
        precondition(a.count == size * size, "pivotedCholesky: shape")
        var pivots = [Int32](repeating: 0, count: size), rank: Int32 = 0
        let info = LAPACKE_dpstrf(LAPACK_ROW_MAJOR, lower, Int32(size), &a, Int32(size), &pivots, &rank, tolerance)
        guard info >= 0, rank > 0 else { return nil }
        return (pivots.map { Int($0) - 1 }, Int(rank))
    }

    /// Solves `Lᵀ X = B` for the leading `order × order` block of a lower-triangular factor
    /// (`dtrtrs`).
    /// - Parameters:
    ///   - factor: row-major storage whose lower triangle holds `L`, with row stride `stride`.
    ///   - stride: the row stride of `factor`.
    ///   - order: the order of the block solved with.
    ///   - b: `order × rightHandSides` right-hand sides; overwritten with the solution.
    ///   - rightHandSides: the number of columns of `B`.
    /// - Returns: true on success, false when the block is singular.
    public static func solveLowerTransposed(_ factor: [Double], stride: Int, order: Int,
                                            _ b: inout [Double], rightHandSides: Int) -> Bool {
        precondition(factor.count >= stride * order && b.count == order * rightHandSides, "solveLowerTransposed: shapes")
        var l = factor
        return LAPACKE_dtrtrs(LAPACK_ROW_MAJOR, lower, Int8(UInt8(ascii: "T")), Int8(UInt8(ascii: "N")),
                              Int32(order), Int32(rightHandSides), &l, Int32(stride), &b, Int32(rightHandSides)) == 0
    }

    /// Eigenvalues and eigenvectors of a symmetric matrix (`dsyevd`, lower triangle read).
    /// - Parameters:
    ///   - a: the `size × size` matrix; overwritten with the eigenvectors, one per column
    ///     (column `j` belongs to eigenvalue `j`).
    ///   - size: the order.
    /// - Returns: the eigenvalues in ascending order, or nil when the algorithm failed to converge.
    public static func symmetricEigen(_ a: inout [Double], size: Int) -> [Double]? {
        precondition(a.count == size * size, "symmetricEigen: shape")
        guard size > 0 else { return [] }
        var values = [Double](repeating: 0, count: size)
        let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), lower, Int32(size), &a, Int32(size), &values)
        return info == 0 ? values : nil
    }
}
