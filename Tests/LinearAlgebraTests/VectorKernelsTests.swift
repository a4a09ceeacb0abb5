import XCTest
import LinearAlgebra

/// The C kernels against plain double-precision loops, at lengths that exercise the vector
/// bodies and the scalar tails.
final class VectorKernelsTests: XCTestCase {
    private let lengths = [0, 1, 7, 8, 15, 16, 17, 33, 1283]

    private func randomFloats(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float.random(in: -2...2, using: &generator) }
    }

    func testFloatDotAndAxpyMatchPlainLoops() {
        var generator = SeededGenerator(seed: 7)
        for n in lengths {
            let a = randomFloats(n, &generator), b = randomFloats(n, &generator)
            let expected = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let dot = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in VectorKernels.dot(pa.baseAddress!, pb.baseAddress!, n) }
            }
            XCTAssertEqual(Double(dot), expected, accuracy: 1e-4 * Double(max(n, 1)), "n = \(n)")

            var y = b
            a.withUnsafeBufferPointer { pa in
                y.withUnsafeMutableBufferPointer { VectorKernels.axpy(0.5, pa.baseAddress!, $0.baseAddress!, n) }
            }
            XCTAssertEqual(y, zip(a, b).map { $1 + 0.5 * $0 }, "n = \(n)")
        }
    }

    func testStandardizeAndWelfordMatchRiverFormulas() {
        var generator = SeededGenerator(seed: 11)
        for n in lengths where n > 0 {
            let x = randomFloats(n, &generator)
            var mean = (0..<n).map { _ in Double.random(in: -1...1, using: &generator) }
            // Every third variance is exactly 0: those features must map to 0, not NaN.
            var variance = (0..<n).map { $0 % 3 == 0 ? 0 : Double.random(in: 0.1...3, using: &generator) }
            var out = [Double](repeating: .nan, count: n)
            x.withUnsafeBufferPointer { px in
                VectorKernels.standardize(px.baseAddress!, mean: mean, variance: variance, into: &out, n)
            }
            for i in 0..<n {
                let expected = variance[i] == 0 ? 0 : (Double(x[i]) - mean[i]) / variance[i].squareRoot()
                XCTAssertEqual(out[i], expected, "n = \(n), i = \(i)")
            }

            let (oldMean, oldVariance) = (mean, variance)
            x.withUnsafeBufferPointer { px in
                VectorKernels.welfordUpdate(px.baseAddress!, mean: &mean, variance: &variance, n, rows: 5)
            }
            for i in 0..<n {
                let value = Double(x[i])
                let updated = oldMean[i] + (value - oldMean[i]) / 5
                XCTAssertEqual(mean[i], updated)
                XCTAssertEqual(variance[i], oldVariance[i] + ((value - oldMean[i]) * (value - updated) - oldVariance[i]) / 5)
            }
        }
    }
}
