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
