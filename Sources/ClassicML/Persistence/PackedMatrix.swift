import Foundation
import LinearAlgebra

/// A `Matrix` that encodes compactly: its shape plus its floats as base64 of little-endian
/// IEEE-754 bytes, so a stored training set is ~1.33 bytes per byte instead of ~10 as JSON numbers.
package struct PackedMatrix: Sendable, Codable, Equatable {
    /// The matrix.
    package var matrix: Matrix

    /// Wraps `matrix` (an empty one by default).
    /// - Parameter matrix: the matrix to store.
    package init(_ matrix: Matrix = Matrix(rows: 0, columns: 0)) { self.matrix = matrix }

    private enum CodingKeys: String, CodingKey { case rows, columns, float32LittleEndianBase64 }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try c.decode(Int.self, forKey: .rows), columns = try c.decode(Int.self, forKey: .columns)
        let text = try c.decode(String.self, forKey: .float32LittleEndianBase64)
        // The byte count is computed with overflow checks: a file may declare any shape.
        let (count, countOverflow) = rows.multipliedReportingOverflow(by: columns)
        let (bytes, bytesOverflow) = count.multipliedReportingOverflow(by: 4)
        guard rows >= 0, columns >= 0, !countOverflow, !bytesOverflow, let data = Data(base64Encoded: text),
              data.count == bytes else {
            throw ClassicMLError.modelFile(
                "a stored \(rows)×\(columns) matrix has a corrupt payload")
        }
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
        for i in values.indices { values[i] = Float(bitPattern: UInt32(littleEndian: values[i].bitPattern)) }
        matrix = Matrix(rows: rows, columns: columns, values: values)
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(matrix.rows, forKey: .rows)
        try c.encode(matrix.columns, forKey: .columns)
        let little = matrix.values.map { Float(bitPattern: $0.bitPattern.littleEndian) }
        try c.encode(little.withUnsafeBytes { Data($0) }.base64EncodedString(), forKey: .float32LittleEndianBase64)
    }
}
