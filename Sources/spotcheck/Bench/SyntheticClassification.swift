import Foundation
import LinearAlgebra

/// A seeded feature set with class structure, shaped like CNN features (non-negative, ReLU-like),
/// for classifier benchmarks: class `c` has a centre `μ_c ~ 0.3·N(0, 1)` per feature and each of
/// its rows is `max(0, μ_c + N(0, 1))`. Rows are dealt to classes round-robin.
struct SyntheticClassification {
    /// n × d features.
    let x: Matrix
    /// One label in `0..<classes` per row.
    let y: [Int]

    /// Generates `rows × columns` features in `classes` classes from `seed`.
    init(rows: Int, columns: Int, classes: Int, seed: UInt64 = 42) {
        var generator = SeededGenerator(seed: seed)
        let centres = (0..<(classes * columns)).map { _ in 0.3 * Self.gaussian(&generator) }
        var values = [Float](repeating: 0, count: rows * columns)
        let labels = (0..<rows).map { $0 % classes }
        for i in 0..<rows {
            let base = labels[i] * columns
            for j in 0..<columns {
                values[i * columns + j] = Float(max(0, centres[base + j] + Self.gaussian(&generator)))
            }
        }
        x = Matrix(rows: rows, columns: columns, values: values)
        y = labels
    }

    /// One standard normal draw (Box–Muller).
    private static func gaussian(_ generator: inout SeededGenerator) -> Double {
        let u = Double.random(in: Double.leastNormalMagnitude..<1, using: &generator)
        let v = Double.random(in: 0..<1, using: &generator)
        return (-2 * Foundation.log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Writes the data for the scikit-learn side of the benchmark: `<prefix>.features.f32`
    /// (row-major little-endian float32), `<prefix>.labels.i32` and `<prefix>.json`
    /// (rows, columns, train and test row indices).
    func export(prefix: String, train: [Int], test: [Int]) throws {
        let features = x.values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0) }
        let labels = y.map { Int32($0).littleEndian }.withUnsafeBytes { Data($0) }
        let meta = try JSONSerialization.data(withJSONObject: [
            "rows": x.rows, "columns": x.columns, "train": train, "test": test,
        ])
        for (suffix, data) in [("features.f32", features), ("labels.i32", labels), ("json", meta)] {
            try data.write(to: URL(fileURLWithPath: "\(prefix).\(suffix)"), options: .atomic)
        }
    }
}
