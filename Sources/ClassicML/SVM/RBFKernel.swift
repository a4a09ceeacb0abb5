import Foundation
import LinearAlgebra

/// The RBF kernel `exp(−γ‖a − b‖²)` over whole matrices, with `‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b`
/// from `Double` products (so rounding does not grow with the width).
enum RBFKernel {
    /// The n × n kernel of the rows of `x` in `Float`, from one `dsyrk` (diagonal exactly 1).
    static func matrix(_ x: Matrix, gamma: Double) -> [Float] {
        let n = x.rows
        let gram = BLAS.gram(x.values.map { Double($0) }, rows: n, columns: x.columns)
        var kernel = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                let distance = max(0, gram[i * n + i] + gram[j * n + j] - 2 * gram[i * n + j])
                let value = Float(Foundation.exp(-gamma * distance))
                kernel[i * n + j] = value
                kernel[j * n + i] = value
            }
        }
        return kernel
    }

    /// The q × s kernel between the rows of `queries` and of `support`, in `Double`.
    static func cross(_ queries: Matrix, _ support: Matrix, gamma: Double) -> [Double] {
        let q = queries.rows, s = support.rows, d = queries.columns
        let a = queries.values.map { Double($0) }, b = support.values.map { Double($0) }
        var products = [Double](repeating: 0, count: q * s)
        BLAS.gemm(transposeB: true, m: q, n: s, k: d, a: a, b: b, c: &products)
        let queryNorms = (0..<q).map { i in (0..<d).reduce(0.0) { $0 + a[i * d + $1] * a[i * d + $1] } }
        let supportNorms = (0..<s).map { j in (0..<d).reduce(0.0) { $0 + b[j * d + $1] * b[j * d + $1] } }
        for i in 0..<q {
            for j in 0..<s {
                products[i * s + j] = Foundation.exp(-gamma * max(0, queryNorms[i] + supportNorms[j] - 2 * products[i * s + j]))
            }
        }
        return products
    }
}
