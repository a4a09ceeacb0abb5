import Foundation

/// Reads safetensors files: an 8-byte little-endian header length, a JSON header
/// `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}`, then the data.
/// Every dtype listed in ``StorageDType`` (F32, F16, BF16, F64, integer and bool types) becomes float32.
enum SafetensorsReader {
    /// The largest JSON header accepted (safetensors itself caps it at 100 MB).
    static let maximumHeader = 100_000_000

    /// Whether a file looks like a safetensors file: a plausible header length then `{`.
    /// - Parameters:
    ///   - bytes: the file's first bytes (at least 9), or all of it.
    ///   - fileSize: the whole file's size (default: `bytes.count`).
    static func looksLikeSafetensors(_ bytes: [UInt8], fileSize: Int? = nil) -> Bool {
        let size = fileSize ?? bytes.count
        guard bytes.count >= 9, size >= 10 else { return false }
        let length = ByteCursor.littleEndian(bytes, 0..<8)
        return length >= 2 && length <= UInt64(size - 8) && bytes[8] == UInt8(ascii: "{")
    }

    /// Reads every tensor, in the order of their data offsets.
    static func read(_ bytes: [UInt8]) throws -> [(String, WeightTensor)] {
        var cursor = ByteCursor(bytes)
        let length = try cursor.littleEndian(8, "the safetensors header length")
        guard length <= UInt64(min(cursor.remaining, maximumHeader)) else {
            throw CheckpointFailure.truncated("the safetensors header")
        }
        let header = try cursor.take(Int(length), "the safetensors header")
        let dataStart = cursor.offset
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[header]))
        } catch {
            throw CheckpointFailure.malformed("the safetensors header is not JSON")
        }
        guard let entries = json as? [String: Any] else {
            throw CheckpointFailure.malformed("the safetensors header is not a JSON object")
        }
        var parsed: [(name: String, view: StridedView)] = []
        for (name, entry) in entries where name != "__metadata__" {
            parsed.append((name, try view(name, entry, dataStart: dataStart, fileSize: bytes.count)))
        }
        parsed.sort { $0.view.region.lowerBound < $1.view.region.lowerBound }
        var budget = Checkpoint.elementBudget(fileSize: bytes.count)
        return try parsed.map { ($0.name, try $0.view.materialise(bytes, budget: &budget)) }
    }

    /// The view described by one header entry, checked against the file's size.
    private static func view(_ name: String, _ entry: Any, dataStart: Int, fileSize: Int) throws -> StridedView {
        guard let fields = entry as? [String: Any], let dtypeName = fields["dtype"] as? String,
              let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int],
              offsets.count == 2 else {
            throw CheckpointFailure.malformed("safetensors entry `\(name)` lacks dtype, shape or data_offsets")
        }
        guard let dtype = StorageDType(safetensors: dtypeName) else {
            throw CheckpointFailure.unsupportedDType("\(dtypeName) (tensor `\(name)`)")
        }
        let count = try StridedView.elementCount(shape)
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end, end <= fileSize - dataStart,
              count <= (end - begin) / dtype.width, (end - begin) == count * dtype.width else {
            throw CheckpointFailure.malformed("safetensors entry `\(name)` has data offsets \(offsets) for shape \(shape)")
        }
        return StridedView(dtype: dtype, swapped: StorageDType.needsSwap(fileIsLittleEndian: true),
                           region: (dataStart + begin)..<(dataStart + end), offset: 0, shape: shape,
                           strides: StridedView.contiguousStrides(shape))
    }
}
