import Foundation

/// The named float32 tensors of a pretrained-weights file, read natively without Python.
///
/// Formats (sniffed from the bytes, not the file name) — see ``Checkpoint/Format``:
/// PyTorch legacy stream and zip state dicts (names as in the state dict, e.g.
/// `features.0.0.weight`), numpy weight pickles such as ndf's SqueezeNet file (names
/// `layer/kernel`, `layer/bias`) and safetensors. Pickles run on a weights-only machine that refuses
/// every global and opcode a weights file does not need, so loading an untrusted file never
/// executes or constructs arbitrary objects; damaged files raise ``CheckpointError``.
package struct Checkpoint: Sendable {
    /// A weights file format.
    package enum Format: String, Sendable, CaseIterable {
        /// `torch.save` before torch 1.6 (and the PyPI weight files): a stream of pickles and raw storages.
        case torchLegacy
        /// `torch.save` since torch 1.6: a ZIP archive of `data.pkl` and stored storages.
        case torchZip
        /// A plain pickle of a dictionary of numpy arrays (ndf's `squeezenet_weights.pkl`).
        case numpyPickle
        /// Hugging Face safetensors.
        case safetensors
    }

    /// Where the tensors came from (the path, or the name given to ``init(bytes:name:)``).
    package let file: String
    /// The detected format.
    package let format: Format
    /// Tensor names in file order (state-dict order for PyTorch, data order for safetensors).
    package let names: [String]
    /// Tensors by name.
    package let tensors: [String: WeightTensor]

    /// Reads a weights file.
    /// - Parameter url: the file.
    /// - Throws: ``CheckpointError`` naming the file, what went wrong and what to do (e.g. run
    ///   scripts/setup when it is missing).
    package init(contentsOf url: URL) throws {
        let bytes = try Checkpoint.readBytes(url)
        try self.init(bytes: bytes, name: url.path)
    }

    /// Reads weights already in memory.
    /// - Parameter bytes: the whole file.
    /// - Parameter name: shown in errors (usually the path).
    /// - Throws: ``CheckpointError``.
    package init(bytes: [UInt8], name: String) throws {
        let (format, named) = try attributing(to: name) { try Checkpoint.decode(bytes) }
        file = name
        self.format = format
        names = named.map(\.0)
        tensors = Dictionary(named, uniquingKeysWith: { first, _ in first })
    }

    /// Reads a weights file and returns its tensors by name.
    /// - Parameter url: the file.
    /// - Returns: every tensor, as float32 in C order.
    /// - Throws: ``CheckpointError``.
    package static func load(contentsOf url: URL) throws -> [String: WeightTensor] {
        try Checkpoint(contentsOf: url).tensors
    }

    /// The tensor called `name`, optionally checked against the shape the caller's model expects.
    /// - Parameter name: the tensor's name.
    /// - Parameter shape: the expected shape, or nil to accept any.
    /// - Returns: the tensor.
    /// - Throws: ``CheckpointError`` (`missingTensor` / `shapeMismatch`) naming this file.
    package func tensor(_ name: String, shape: [Int]? = nil) throws -> WeightTensor {
        guard let tensor = tensors[name] else {
            throw CheckpointError(file: file, reason: .missingTensor(name))
        }
        if let shape, shape != tensor.shape {
            throw CheckpointError(file: file, reason: .shapeMismatch(name: name, expected: shape, found: tensor.shape))
        }
        return tensor
    }

    /// The format `bytes` appear to be in (a cheap look at the first bytes), or nil.
    /// - Parameters:
    ///   - bytes: the start of a file (at least its first 14 bytes), or all of it.
    ///   - fileSize: the whole file's size (default: `bytes.count`).
    /// - Returns: the format; a pickle that is not a legacy torch stream counts as ``Format/numpyPickle``.
    package static func sniff(_ bytes: [UInt8], fileSize: Int? = nil) -> Format? {
        if ZipArchive.looksLikeZip(bytes) { return .torchZip }
        if bytes.count >= 14, bytes[0] == 0x80, bytes[2] == 0x8a, bytes[3] == 0x0a,
           Array(bytes[4..<14]) == TorchCheckpointReader.legacyMagic {
            return .torchLegacy
        }
        // Before the bare pickle test: a safetensors header of 128 + 256·k bytes starts with 0x80
        // too (VGG's is 1,920), while a pickle's bytes 2…8 never form a length that fits the file
        // followed by `{`.
        if SafetensorsReader.looksLikeSafetensors(bytes, fileSize: fileSize) { return .safetensors }
        if bytes.first == 0x80 { return .numpyPickle }
        return nil
    }

    /// The most elements all tensors of a file may hold together: generous for real files
    /// (int8 data and tied weights included) yet bounded, so a hostile file cannot make the reader
    /// allocate without limit through overlapping views.
    static func elementBudget(fileSize: Int) -> Int { 2 * fileSize + (1 << 20) }

    private static func decode(_ bytes: [UInt8]) throws -> (Format, [(String, WeightTensor)]) {
        switch sniff(bytes) {
        case .torchZip:
            return (.torchZip, try TorchCheckpointReader.readZip(bytes))
        case .torchLegacy, .numpyPickle:
            var machine = PickleMachine()
            var cursor = ByteCursor(bytes)
            let first = try machine.run(&cursor)
            if first == .bigInt(TorchCheckpointReader.legacyMagic) {
                return (.torchLegacy, try TorchCheckpointReader.readLegacy(bytes, machine: &machine, cursor: &cursor))
            }
            return (.numpyPickle, try NumpyPickleReader.read(first, machine: machine, bytes: bytes))
        case .safetensors:
            return (.safetensors, try SafetensorsReader.read(bytes))
        case nil:
            throw CheckpointFailure.unknownFormat
        }
    }

    /// The bytes of a file, read straight into one array (what the readers parse).
    /// - Parameter url: the file.
    /// - Returns: its contents.
    /// - Throws: ``CheckpointError`` (missing or unreadable file).
    package static func readBytes(_ url: URL) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CheckpointError(file: url.path, reason: .missingFile)
        }
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            guard size < UInt64(Int.max / 2) else { throw CheckpointFailure.limitExceeded("the file is too large") }
            var bytes = [UInt8](repeating: 0, count: Int(size))
            var filled = 0
            while filled < bytes.count {
                let got = bytes.withUnsafeMutableBytes { raw in
                    read(handle.fileDescriptor, raw.baseAddress.map { $0 + filled }, raw.count - filled)
                }
                guard got > 0 else { throw CheckpointFailure.unreadable("the file shrank while being read") }
                filled += got
            }
            return bytes
        } catch let failure as CheckpointFailure {
            throw CheckpointError(file: url.path, reason: failure)
        } catch {
            throw CheckpointError(file: url.path, reason: .unreadable(error.localizedDescription))
        }
    }
}
