import LinearAlgebra

/// The wide cookbook-shape matrix of scripts/fixtures/sklearn_families_expected.py, made here
/// with the same generator so the fixture need not hold it: 340 rows × 2048 non-negative
/// features, 17 classes (row i is class i % 17); per class a sparse centre (one feature in 64
/// gets `(r >> 6) % 8 + 1` eighths), per value the noise `(sum of the draw's 4 low bytes − 510) / 256`,
/// clipped at 0. Every value is a multiple of 1/256, so Swift and numpy make the same floats.
enum WideParityMatrix {
    static func make(rows: Int = 340, columns: Int = 2048, classes: Int = 17, seed: UInt64 = 17) -> (x: Matrix, y: [Int]) {
        var generator = SeededGenerator(seed: seed)
        var centres = [Float](repeating: 0, count: classes * columns)
        for k in centres.indices {
            let r = generator.next()
            centres[k] = r % 64 == 0 ? Float((r >> 6) % 8 + 1) / 8 : 0
        }
        var x = Matrix(rows: rows, columns: columns)
        for i in 0..<rows {
            for j in 0..<columns {
                let r = generator.next()
                let bytes = (r & 255) + ((r >> 8) & 255) + ((r >> 16) & 255) + ((r >> 24) & 255)
                x[i, j] = max(0, centres[(i % classes) * columns + j] + (Float(bytes) - 510) / 256)
            }
        }
        return (x, (0..<rows).map { $0 % classes })
    }
}
