import LinearAlgebra
import XCTest

final class ParallelTests: XCTestCase {
    /// Results come back in job order whatever the thread count, every job runs once, and ranges
    /// cover the items exactly once.
    func testMapKeepsOrderAndRangesCoverEveryItemOnce() {
        for threads in [1, 2, 3, 16] {
            XCTAssertEqual(Parallel.map(100, threads: threads) { $0 * $0 }, (0..<100).map { $0 * $0 }, "threads \(threads)")
            var seen = [Int](repeating: 0, count: 37)
            seen.withUnsafeMutableBufferPointer { counts in
                Parallel.forEachRange(37, threads: threads) { part, range in
                    XCTAssertLessThan(part, max(1, min(threads, 37)))
                    for i in range { counts[i] += 1 }
                }
            }
            XCTAssertEqual(seen, [Int](repeating: 1, count: 37), "threads \(threads)")
        }
        XCTAssertEqual(Parallel.map(0) { $0 }, [])
    }
}

final class LAPACKTests: XCTestCase {
    /// A symmetric matrix's eigenpairs satisfy A v = λ v, ascending; a positive-definite solve and
    /// a triangular solve reproduce their right-hand sides.
    func testEigenCholeskyAndTriangularSolves() throws {
        let a: [Double] = [4, 1, 2,
                           1, 3, 0,
                           2, 0, 5]
        var vectors = a
        let values = try XCTUnwrap(LAPACK.symmetricEigen(&vectors, size: 3))
        XCTAssertEqual(values, values.sorted())
        for j in 0..<3 {
            for i in 0..<3 {
                let av = (0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * vectors[$1 * 3 + j] }
                XCTAssertEqual(av, values[j] * vectors[i * 3 + j], accuracy: 1e-12)
            }
        }
        var system = a, rhs: [Double] = [1, 2, 3]
        XCTAssertTrue(LAPACK.choleskySolve(&system, &rhs, size: 3, rightHandSides: 1))
        for i in 0..<3 { XCTAssertEqual((0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * rhs[$1] }, Double(i + 1), accuracy: 1e-12) }
        var factor = a
        XCTAssertTrue(LAPACK.choleskyFactor(&factor, size: 3))
        var solved: [Double] = [1, 1, 1]
        XCTAssertTrue(LAPACK.solveLowerTransposed(factor, stride: 3, order: 3, &solved, rightHandSides: 1))
        for i in 0..<3 {   // Lᵀ x = 1
            XCTAssertEqual((i..<3).reduce(0.0) { $0 + factor[$1 * 3 + i] * solved[$1] }, 1, accuracy: 1e-12)
        }
        var singular: [Double] = [1, 1, 1, 1]
        XCTAssertFalse(LAPACK.choleskyFactor(&singular, size: 2))
        var semidefinite: [Double] = [1, 1, 1, 1]
        let pivoted = try XCTUnwrap(LAPACK.pivotedCholesky(&semidefinite, size: 2, tolerance: 1e-12))
        XCTAssertEqual(pivoted.rank, 1)
    }

    /// The Gram wrappers agree with plain products, and the blocked transpose with its definition.
    func testGramMatricesAndTranspose() {
        var generator = SeededGenerator(seed: 3)
        let x = Matrix(rows: 5, columns: 70, values: (0..<350).map { _ in Float.random(in: -1...1, using: &generator) })
        let rows = BLAS.gram(x), columns = BLAS.gram(x.values.map(Double.init), rows: 5, columns: 70, transposed: true)
        for i in 0..<5 {
            for j in 0...i {
                let dot = (0..<70).reduce(0.0) { $0 + Double(x[i, $1]) * Double(x[j, $1]) }
                XCTAssertEqual(Double(rows[i * 5 + j]), dot, accuracy: 1e-4)
            }
        }
        XCTAssertEqual(columns[69 * 70 + 3], (0..<5).reduce(0.0) { $0 + Double(x[$1, 69]) * Double(x[$1, 3]) }, accuracy: 1e-12)
        let t = x.transposed()
        for i in 0..<5 { for j in 0..<70 { XCTAssertEqual(t[j, i], x[i, j]) } }
        var c = [Double](repeating: 1, count: 4)
        BLAS.gemm(m: 2, n: 2, k: 3, a: [1, 2, 3, 4, 5, 6], b: [1, 0, 0, 1, 1, 1], beta: 1, c: &c)
        XCTAssertEqual(c, [5, 6, 11, 12])
    }
}
