import Foundation

/// A `[Double]` that encodes compactly: its count plus the values as base64 of little-endian
/// IEEE-754 binary64 bytes, for learned state that must keep double precision.
public struct PackedDoubles: Sendable, Codable, Equatable {
    /// The values.
    public var values: [Double]

    /// Wraps `values` (none by default).
    /// - Parameter values: the values to store.
    public init(_ values: [Double] = []) { self.values = values }

    private enum CodingKeys: String, CodingKey { case count, float64LittleEndianBase64 }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let count = try c.decode(Int.self, forKey: .count)
        let text = try c.decode(String.self, forKey: .float64LittleEndianBase64)
        guard count >= 0, count <= Int.max / 8, let data = Data(base64Encoded: text), data.count == count * 8 else {
            throw ClassicMLError.modelFile(
                "a stored vector of \(count) doubles has a corrupt payload; the file is damaged — refit and save again")
        }
        var values = [Double](repeating: 0, count: count)
        values.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
        for i in values.indices { values[i] = Double(bitPattern: UInt64(littleEndian: values[i].bitPattern)) }
        self.values = values
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(values.count, forKey: .count)
        let little = values.map { Double(bitPattern: $0.bitPattern.littleEndian) }
        try c.encode(little.withUnsafeBytes { Data($0) }.base64EncodedString(), forKey: .float64LittleEndianBase64)
    }
}
