/// Why a checkpoint could not be read. Thrown wrapped in a ``CheckpointError`` that names the file.
public enum CheckpointFailure: Error, Sendable, Equatable {
    /// The file does not exist.
    case missingFile
    /// The file exists but could not be read (permissions, I/O error); the payload says why.
    case unreadable(String)
    /// The bytes are none of the supported formats (PyTorch legacy/zip, numpy pickle, safetensors).
    case unknownFormat
    /// The file ends before a structure it announces is complete; the payload names the structure.
    case truncated(String)
    /// The bytes are inconsistent (bad lengths, wrong types, out-of-range views); the payload says how.
    case malformed(String)
    /// The pickle asks for a global outside the weights-only allow-list; nothing was executed.
    case disallowedGlobal(module: String, name: String)
    /// The pickle uses an opcode the weights-only machine does not implement.
    case unsupportedOpcode(UInt8, offset: Int)
    /// The array element type cannot be converted to float32.
    case unsupportedDType(String)
    /// A valid but unsupported variant of a format (compressed ZIP member, big-endian legacy file,
    /// pre-0.4 storage views); the payload names it.
    case unsupported(String)
    /// The file announces more data than a weights file may (a defence against hostile inputs).
    case limitExceeded(String)
    /// A tensor the caller needs is absent from the checkpoint.
    case missingTensor(String)
    /// A tensor has another shape than the caller expects.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// The file's sha256 is not the one published for it: it was damaged or replaced.
    case digestMismatch(expected: String, found: String)

    /// What went wrong, in words.
    var summary: String {
        switch self {
        case .missingFile: return "the file does not exist"
        case .unreadable(let why): return "the file could not be read (\(why))"
        case .unknownFormat:
            return "not a PyTorch checkpoint (legacy or zip), numpy weight pickle, safetensors or Keras .h5 weights file"
        case .truncated(let what): return "the file ends inside \(what)"
        case .malformed(let what): return "malformed checkpoint: \(what)"
        case .disallowedGlobal(let module, let name):
            return "refused to load: the pickle asks for `\(module).\(name)`, which is not on the weights-only allow-list (nothing was executed)"
        case .unsupportedOpcode(let op, let offset):
            return "refused to load: pickle opcode 0x\(String(op, radix: 16)) at byte \(offset) is not used by weight files"
        case .unsupportedDType(let what): return "unsupported element type \(what)"
        case .unsupported(let what): return "unsupported: \(what)"
        case .limitExceeded(let what): return "refused to load: \(what)"
        case .missingTensor(let name): return "the checkpoint has no tensor named `\(name)`"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor `\(name)` has shape \(found), expected \(expected)"
        case .digestMismatch(let expected, let found):
            return "its sha256 is \(found), but the published one is \(expected), so it was damaged or replaced"
        }
    }

    /// What the user can do about it.
    var advice: String {
        switch self {
        case .missingFile:
            return "run scripts/setup to fetch the pretrained weights (or set SPOTCHECK_CACHE to the folder that holds them)"
        case .unreadable:
            return "check the file's permissions, or delete it and run scripts/setup to fetch it again"
        case .truncated, .malformed, .missingTensor, .shapeMismatch, .digestMismatch:
            return "the file is damaged or not the expected checkpoint: delete it and run scripts/setup to fetch it again (it is sha256-checked)"
        case .unknownFormat, .unsupportedDType, .unsupported:
            return "save the weights as a float32 PyTorch state dict (torch.save) or as safetensors"
        case .disallowedGlobal, .unsupportedOpcode, .limitExceeded:
            return "only load weights from a trusted source; re-save them as a plain state dict of tensors or as safetensors"
        }
    }
}

/// A checkpoint that could not be read: the file and the reason, with advice on what to do.
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path (or other name) of the offending file.
    public let file: String
    /// What went wrong.
    public let reason: CheckpointFailure

    /// Creates an error for a file.
    /// - Parameter file: the path or name shown to the user.
    /// - Parameter reason: what went wrong.
    public init(file: String, reason: CheckpointFailure) {
        self.file = file
        self.reason = reason
    }

    /// One line: the file, what went wrong, and what to do.
    public var description: String { "\(file): \(reason.summary); \(reason.advice)" }
}

/// Runs `body`, turning a bare ``CheckpointFailure`` into a ``CheckpointError`` naming `file`.
func attributing<T>(to file: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as CheckpointFailure {
        throw CheckpointError(file: file, reason: failure)
    }
}
