/// Reads PyTorch state dicts in both serialisations:
/// - legacy stream (torch < 1.6 and the PyPI weight files): magic number, protocol version,
///   sys-info, the state-dict pickle, the storage-key list, then per storage an 8-byte element
///   count and the raw little-endian data;
/// - zip (torch ≥ 1.6): `<prefix>/data.pkl` plus one stored member `<prefix>/data/<key>` per storage.
/// Tensors are `_rebuild_tensor_v2` views (offset, size, stride) of storages; they are copied out
/// to float32 in C order, non-contiguous views included. Names join nested keys with `.`.
enum TorchCheckpointReader {
    /// torch's legacy magic number 0x1950a86a20f9469cfc6c as pickled (LONG1, little-endian).
    static let legacyMagic: [UInt8] = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]

    /// Reads a legacy-format checkpoint whose first pickle (the magic number) has already been run.
    /// - Parameter cursor: just past the magic-number pickle.
    /// - Returns: the tensors in state-dict order.
    static func readLegacy(_ bytes: [UInt8], machine: inout PickleMachine, cursor: inout ByteCursor)
        throws -> [(String, WeightTensor)] {
        guard try machine.run(&cursor) == .int(1001) else {
            throw CheckpointFailure.unsupported("legacy torch protocol version (expected 1001)")
        }
        guard case .dict(let sysInfo) = try machine.run(&cursor) else {
            throw CheckpointFailure.malformed("the sys-info record is not a dictionary")
        }
        if machine.dicts[sysInfo].values[.string("little_endian")] == .bool(false) {
            throw CheckpointFailure.unsupported("big-endian legacy checkpoint")
        }
        let root = try machine.run(&cursor)
        let keyList = try machine.run(&cursor)
        guard case .list(let keysID) = keyList else {
            throw CheckpointFailure.malformed("the storage-key record is not a list")
        }
        var regions: [String: Range<Int>] = [:]
        for key in machine.lists[keysID] {
            guard case .string(let name) = key, let storage = machine.storages[name] else {
                throw CheckpointFailure.malformed("the storage list names a storage no tensor uses")
            }
            let count = try cursor.littleEndian(8, "the element count of storage \(name)")
            guard count <= UInt64(cursor.remaining / storage.dtype.width) else {
                throw CheckpointFailure.truncated("the data of storage \(name)")
            }
            regions[name] = try cursor.take(Int(count) * storage.dtype.width, "the data of storage \(name)")
        }
        return try materialise(root, machine: machine, regions: regions, bytes: bytes, swapped: false)
    }

    /// Reads a zip-format checkpoint.
    /// - Returns: the tensors in state-dict order.
    static func readZip(_ bytes: [UInt8]) throws -> [(String, WeightTensor)] {
        let archive = try ZipArchive(bytes)
        let pickles = archive.entries.keys.filter { $0 == "data.pkl" || $0.hasSuffix("/data.pkl") }
        guard let pickleName = pickles.min(by: { $0.count < $1.count }) else {
            throw CheckpointFailure.malformed("the ZIP archive has no data.pkl (is it a torch.save file?)")
        }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        var swapped = false
        if archive.entries[prefix + "byteorder"] != nil {
            let text = String(decoding: bytes[try archive.data(prefix + "byteorder")], as: UTF8.self)
            guard text == "little" || text == "big" else { throw CheckpointFailure.malformed("byteorder '\(text)'") }
            swapped = StorageDType.needsSwap(fileIsLittleEndian: text == "little")
        }
        let range = try archive.data(pickleName)
        var cursor = ByteCursor(bytes, start: range.lowerBound, end: range.upperBound)
        var machine = PickleMachine()
        let root = try machine.run(&cursor)
        var regions: [String: Range<Int>] = [:]
        for key in machine.storages.keys { regions[key] = try archive.data(prefix + "data/" + key) }
        return try materialise(root, machine: machine, regions: regions, bytes: bytes, swapped: swapped)
    }

    /// Copies every tensor under `root` out of its storage region.
    private static func materialise(_ root: PickleValue, machine: PickleMachine, regions: [String: Range<Int>],
                                    bytes: [UInt8], swapped: Bool) throws -> [(String, WeightTensor)] {
        let flattener = PickleFlattener(machine: machine, separator: ".", itemNames: { _ in nil })
        var budget = Checkpoint.elementBudget(fileSize: bytes.count)
        return try flattener.leaves(of: root).map { name, value in
            guard case .tensor(let tensor) = value else {
                throw CheckpointFailure.malformed("`\(name)` is a numpy array inside a torch checkpoint")
            }
            guard let region = regions[tensor.storage.key] else {
                throw CheckpointFailure.malformed("tensor `\(name)` uses storage \(tensor.storage.key), which has no data")
            }
            let view = StridedView(dtype: tensor.storage.dtype, swapped: swapped, region: region,
                                   offset: tensor.offset, shape: tensor.shape, strides: tensor.strides)
            return (name, try view.materialise(bytes, budget: &budget))
        }
    }
}
