import XCTest
import LinearAlgebra

final class BLASTests: XCTestCase {
    /// A product checked against a naive triple loop in double precision.
    func testMultiplyMatchesNaiveProduct() {
        var generator = SystemRandomNumberGenerator()
        let a = Matrix(rows: 7, columns: 13, values: (0..<91).map { _ in Float.random(in: -1...1, using: &generator) })
        let b = Matrix(rows: 13, columns: 5, values: (0..<65).map { _ in Float.random(in: -1...1, using: &generator) })
        let c = BLAS.multiply(a, b)
        for i in 0..<7 {
            for j in 0..<5 {
                var expected = 0.0
                for k in 0..<13 { expected += Double(a[i, k]) * Double(b[k, j]) }
                XCTAssertEqual(Double(c[i, j]), expected, accuracy: 1e-5)
            }
        }
        let ct = BLAS.multiply(b, transposed: true, a, transposed: true)
        XCTAssertEqual(ct, c.transposed())
    }
}
