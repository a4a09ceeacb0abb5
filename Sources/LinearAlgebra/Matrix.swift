/// A dense, row-major matrix of `Float`, the shared currency of `Extractor` and `ClassicML`.
///
/// Row `i` occupies `values[i * columns ..< (i + 1) * columns]`, so a feature matrix with one
/// sample per row can be handed to BLAS and to HDF5 without copying.
public struct Matrix: Sendable, Equatable {
    /// Number of rows (samples).
    public private(set) var rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// The elements, row after row (set only inside this package, so `values.count` stays
    /// `rows × columns`).
    public package(set) var values: [Float]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.values = Self.storage(count: rows * columns) { $0.initialize(repeating: value) }
    }

    /// A matrix over existing row-major `values`.
    /// - Precondition: `values.count == rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns,
                     "matrix of \(rows)×\(columns) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix whose rows are the given equally long arrays.
    public init(rowArrays: [[Float]]) {
        let width = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == width }, "all rows must have the same length")
        self.init(rows: rowArrays.count, columns: width, values: rowArrays.flatMap { $0 })
    }

    /// The element at (`row`, `column`).
    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// A copy of row `index`.
    public func row(_ index: Int) -> [Float] {
        Array(values[index * columns ..< (index + 1) * columns])
    }

    /// A new matrix made of the rows at `indices`, in that order.
    /// - Precondition: every index is a row of this matrix.
    public func rows(at indices: [Int]) -> Matrix {
        let columns = columns
        precondition(indices.allSatisfy { (0..<rows).contains($0) }, "row index out of range")
        let out = values.withUnsafeBufferPointer { source in
            Self.storage(count: indices.count * columns) { destination in
                for (k, i) in indices.enumerated() {
                    _ = UnsafeMutableBufferPointer(rebasing: destination[k * columns ..< (k + 1) * columns])
                        .initialize(fromContentsOf: source[i * columns ..< (i + 1) * columns])
                }
            }
        }
        return Matrix(rows: indices.count, columns: columns, values: out)
    }

    /// New element storage of `count` values, written by `initialize` (which must initialise every
    /// value); large storage is given huge pages first (``HugePages``).
    private static func storage(count: Int, _ initialize: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            initialize(buffer)
            initialized = count
        }
    }

    /// Appends the rows of `other`, which must have the same number of columns.
    public mutating func appendRows(of other: Matrix) {
        precondition(other.columns == columns, "cannot append \(other.columns) columns to \(columns)")
        values.append(contentsOf: other.values)
        rows += other.rows
    }

    /// The transpose, `columns × rows`, copied in 32 × 32 tiles so both sides stay in cache.
    public func transposed() -> Matrix {
        var out = Matrix(rows: columns, columns: rows)
        let tile = 32
        values.withUnsafeBufferPointer { src in
            out.values.withUnsafeMutableBufferPointer { dst in
                for i0 in stride(from: 0, to: rows, by: tile) {
                    for j0 in stride(from: 0, to: columns, by: tile) {
                        for i in i0..<min(i0 + tile, rows) {
                            for j in j0..<min(j0 + tile, columns) { dst[j * rows + i] = src[i * columns + j] }
                        }
                    }
                }
            }
        }
        return out
    }
}
