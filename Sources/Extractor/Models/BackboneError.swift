/// What can go wrong when a backbone is located, loaded or run; every message says what to do.
public enum BackboneError: Error, Equatable, CustomStringConvertible {
    /// No backbone has this name.
    case unknownBackbone(String, known: [String])
    /// The weights file is not where the registry looks.
    case missingWeights(path: String)
    /// The weights file could not be read as a checkpoint.
    case unreadableWeights(path: String, reason: String)
    /// A tensor the architecture needs is absent from the checkpoint.
    case missingTensor(key: String, source: String)
    /// A tensor has another shape than the architecture needs.
    case shapeMismatch(key: String, expected: [Int], found: [Int], source: String)
    /// The checkpoint's structure does not match the architecture.
    case unexpectedStructure(String, source: String)
    /// A batch does not have the shape the network takes.
    case inputShape(expected: String, found: String)

    /// A sentence saying what went wrong and what to do.
    public var description: String {
        let setup = "run scripts/setup to (re)fetch the weights (checked by sha256)"
        switch self {
        case .unknownBackbone(let name, let known):
            return "unknown backbone '\(name)'; choose one of: \(known.joined(separator: ", "))"
        case .missingWeights(let path):
            return "weights file \(path) not found; \(setup), or set SPOTCHECK_CACHE to the folder holding weights/"
        case .unreadableWeights(let path, let reason):
            return "cannot read weights file \(path): \(reason); delete it and \(setup)"
        case .missingTensor(let key, let source):
            return "\(source) has no tensor '\(key)': it is not the expected checkpoint; delete it and \(setup)"
        case .shapeMismatch(let key, let expected, let found, let source):
            return "tensor '\(key)' in \(source) has shape \(found), the architecture needs \(expected); delete the file and \(setup)"
        case .unexpectedStructure(let what, let source):
            return "\(source) does not match the architecture (\(what)); delete it and \(setup)"
        case .inputShape(let expected, let found):
            return "the network takes N×\(expected) input, the batch is N×\(found); preprocess with the backbone's preset"
        }
    }
}
