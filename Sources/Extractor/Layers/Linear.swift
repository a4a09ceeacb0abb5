import LinearAlgebra

/// A fully connected layer `y = x·Wᵀ + b` applied to a batch of row vectors.
struct Linear {
    /// Input features.
    let inputs: Int
    /// Output features.
    let outputs: Int
    /// `outputs × inputs` (PyTorch layout).
    let weight: [Float]
    /// One value per output.
    let bias: [Float]

    /// Multiply-adds ×2 for one vector.
    var flops: Int { 2 * inputs * outputs }

    /// Runs the layer.
    /// - Parameters:
    ///   - input: `count × inputs` values, row-major.
    ///   - count: the number of vectors.
    ///   - output: receives `count × outputs` values.
    func run(_ input: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>) {
        weight.withUnsafeBufferPointer { w in
            guard let w = w.baseAddress else { return }
            BLAS.gemm(transposeB: true, m: count, n: outputs, k: inputs, a: input, b: w, c: output)
        }
        for row in 0..<count {
            let o = output + row * outputs
            for j in 0..<outputs { o[j] += bias[j] }
        }
    }
}
