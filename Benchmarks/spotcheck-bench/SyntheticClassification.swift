import Foundation
import LinearAlgebra

/// A seeded synthetic classification set with class structure, standing in for CNN features in
/// benchmarks: every class has a Gaussian centre (`N(0, 1)` per feature, scaled by
/// `separation`), and a sample is its class centre plus `N(0, 1)` noise. Row `i` belongs to
/// class `i % classes`, so classes are balanced. The same arguments give the same data on
/// every machine.
enum SyntheticClassification {
    /// Generates `rows × dim` float32 features and their labels.
    /// - Parameters:
    ///   - rows: samples.
    ///   - dim: features per sample.
    ///   - classes: the number of classes.
    ///   - separation: the scale of the class centres relative to the noise.
    ///   - seed: the random seed.
    /// - Returns: the feature matrix and one label per row.
    static func make(rows: Int, dim: Int, classes: Int, separation: Float = 0.5,
                     seed: UInt64 = 42) -> (x: Matrix, y: [Int]) {
        var generator = SeededGenerator(seed: seed)
        var centres = [Float](repeating: 0, count: classes * dim)
        fillNormal(&centres, using: &generator)
        var x = Matrix(rows: rows, columns: dim)
        fillNormal(&x.values, using: &generator)
        let y = (0..<rows).map { $0 % classes }
        x.values.withUnsafeMutableBufferPointer { v in
            for i in 0..<rows {
                let c = y[i]
                for j in 0..<dim { v[i * dim + j] += separation * centres[c * dim + j] }
            }
        }
        return (x, y)
    }

    /// Standard normal values by the Box–Muller transform.
    private static func fillNormal(_ values: inout [Float], using generator: inout SeededGenerator) {
        var i = 0
        while i < values.count {
            let u1 = Float(generator.next() >> 40 + 1) / Float(1 << 24)   // (0, 1]
            let u2 = Float(generator.next() >> 40) / Float(1 << 24)
            let radius = (-2 * Foundation.log(u1)).squareRoot()
            values[i] = radius * Foundation.cos(2 * .pi * u2)
            if i + 1 < values.count { values[i + 1] = radius * Foundation.sin(2 * .pi * u2) }
            i += 2
        }
    }
}
