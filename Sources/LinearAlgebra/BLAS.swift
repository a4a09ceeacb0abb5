import COpenBLAS

/// Thin, safe wrappers over the OpenBLAS calls the project needs.
///
/// Everything is row-major single precision. The wrappers only translate Swift arrays and
/// `Matrix` values into CBLAS arguments; they do not allocate on the hot path.
public enum BLAS {
    /// The number of threads OpenBLAS uses for every later call in this process.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// `C ← alpha · op(A) · op(B) + beta · C` on raw row-major buffers.
    ///
    /// - Parameters:
    ///   - transposeA: use Aᵀ; A is then stored `k × m`, otherwise `m × k`.
    ///   - transposeB: use Bᵀ; B is then stored `n × k`, otherwise `k × n`.
    ///   - m: rows of op(A) and C.
    ///   - n: columns of op(B) and C.
    ///   - k: the shared dimension.
    ///   - lda: the row stride of A as stored (defaults to its stored width).
    ///   - ldb: the row stride of B as stored.
    ///   - ldc: the row stride of C.
    package static func gemm(transposeA: Bool = false, transposeB: Bool = false,
                            m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int? = nil,
                            b: UnsafePointer<Float>, ldb: Int? = nil,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda ?? (transposeA ? m : k)),
                    b, Int32(ldb ?? (transposeB ? k : n)),
                    beta, c, Int32(ldc ?? n))
    }

    /// The product `op(A) · op(B)` of two matrices as a new matrix.
    public static func multiply(_ a: Matrix, transposed transposeA: Bool = false,
                                _ b: Matrix, transposed transposeB: Bool = false) -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition(k == (transposeB ? b.columns : b.rows), "inner dimensions differ")
        var c = Matrix(rows: m, columns: n)
        guard k > 0 else { return c }
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                c.values.withUnsafeMutableBufferPointer { pc in
                    guard let pa = pa.baseAddress, let pb = pb.baseAddress,
                          let pc = pc.baseAddress else { return }
                    gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                         a: pa, lda: a.columns, b: pb, ldb: b.columns, c: pc, ldc: n)
                }
            }
        }
        return c
    }
}

extension BLAS {
    /// The Gram matrix `X Xᵀ` (or `Xᵀ X` when `transposed`) of a float matrix from one `ssyrk`;
    /// only its lower triangle is filled.
    /// - Parameters:
    ///   - x: the matrix.
    ///   - transposed: compute `Xᵀ X` (columns × columns) instead of `X Xᵀ` (rows × rows).
    /// - Returns: the `size × size` row-major result, lower triangle filled, upper triangle zero.
    public static func gram(_ x: Matrix, transposed: Bool = false) -> [Float] {
        let size = transposed ? x.columns : x.rows
        var g = [Float](repeating: 0, count: size * size)
        guard size > 0 else { return g }
        x.values.withUnsafeBufferPointer { v in
            g.withUnsafeMutableBufferPointer { gv in
                guard let a = v.baseAddress, let c = gv.baseAddress else { return }
                cblas_ssyrk(CblasRowMajor, CblasLower, transposed ? CblasTrans : CblasNoTrans, Int32(size),
                            Int32(transposed ? x.rows : x.columns), 1, a, Int32(x.columns), 0, c, Int32(size))
            }
        }
        return g
    }

    /// The Gram matrix `X Xᵀ` (or `Xᵀ X` when `transposed`) of a `rows × columns` row-major
    /// `Double` matrix from one `dsyrk`; only its lower triangle is filled.
    /// - Parameters:
    ///   - x: the matrix, row after row.
    ///   - rows: its rows.
    ///   - columns: its columns.
    ///   - transposed: compute `Xᵀ X` instead of `X Xᵀ`.
    /// - Returns: the `size × size` row-major result, lower triangle filled.
    public static func gram(_ x: [Double], rows: Int, columns: Int, transposed: Bool = false) -> [Double] {
        precondition(x.count == rows * columns, "gram: \(rows)×\(columns) needs \(rows * columns) values")
        let size = transposed ? columns : rows
        var g = [Double](repeating: 0, count: size * size)
        guard size > 0 else { return g }
        cblas_dsyrk(CblasRowMajor, CblasLower, transposed ? CblasTrans : CblasNoTrans, Int32(size),
                    Int32(transposed ? rows : columns), 1, x, Int32(columns), 0, &g, Int32(size))
        return g
    }

    /// `C ← alpha · op(A) · op(B) + beta · C` on row-major `Double` arrays (`dgemm`).
    /// - Parameters:
    ///   - transposeA: use Aᵀ; A is then stored `k × m`, otherwise `m × k`.
    ///   - transposeB: use Bᵀ; B is then stored `n × k`, otherwise `k × n`.
    ///   - m: rows of op(A) and C.
    ///   - n: columns of op(B) and C.
    ///   - k: the shared dimension.
    ///   - alpha: the product's factor.
    ///   - a: A, densely stored.
    ///   - b: B, densely stored.
    ///   - beta: the factor of C's previous value.
    ///   - c: C (`m × n`), updated in place.
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Double = 1, a: [Double], b: [Double], beta: Double = 0, c: inout [Double]) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "gemm: buffers too small")
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(transposeA ? m : k),
                    b, Int32(transposeB ? k : n), beta, &c, Int32(n))
    }
}
