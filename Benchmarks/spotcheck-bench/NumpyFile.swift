import Foundation
import LinearAlgebra

/// Writes `.npy` files (format 1.0, little-endian, C order) so Python benchmarks can time
/// scikit-learn on exactly the data the Swift benchmark generated.
enum NumpyFile {
    /// Writes a float32 matrix.
    /// - Parameters:
    ///   - matrix: the values.
    ///   - url: the destination; written to a temporary name and renamed into place.
    /// - Throws: file-system errors.
    static func write(_ matrix: Matrix, to url: URL) throws {
        let payload = matrix.values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0) }
        try write(descr: "<f4", shape: "(\(matrix.rows), \(matrix.columns))", payload: payload, to: url)
    }

    /// Writes an int64 vector.
    /// - Parameters:
    ///   - values: the values.
    ///   - url: the destination; written to a temporary name and renamed into place.
    /// - Throws: file-system errors.
    static func write(_ values: [Int], to url: URL) throws {
        let payload = values.map { Int64($0).littleEndian }.withUnsafeBytes { Data($0) }
        try write(descr: "<i8", shape: "(\(values.count),)", payload: payload, to: url)
    }

    private static func write(descr: String, shape: String, payload: Data, to url: URL) throws {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        let length = UInt16(header.utf8.count)
        data += Data([UInt8(length & 0xFF), UInt8(length >> 8)]) + Data(header.utf8) + payload
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try data.write(to: temporary)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: temporary, to: url)
    }
}
