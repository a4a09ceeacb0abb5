/// What can go wrong when a backbone is located, loaded or run; every message says what to do.
public enum BackboneError: Error, Equatable, CustomStringConvertible {
    /// No backbone has this name.
    case unknownBackbone(String, known: [String])
    /// No weights file was found: `searched` lists the files or `folder/pattern`s looked for;
    /// `fetchedBySetup` says whether `scripts/setup` provides it.
    case missingWeights(backbone: String, searched: [String], fetchedBySetup: Bool)
    /// The weights file could not be read as a checkpoint (or is not the published file).
    case unreadableWeights(path: String, reason: String, fetchedBySetup: Bool)
    /// A weights file changed between being hashed and being read, so its recorded digest would be wrong.
    case changedWeights(path: String)
    /// A weights file the user provided does not fit the architecture: `key` is the first tensor
    /// (in state-dict order) that is missing (`found` nil) or has another shape.
    case incompatibleWeights(backbone: String, key: String, expected: [Int], found: [Int]?, source: String)
    /// A tensor the architecture needs is absent from the checkpoint.
    case missingTensor(key: String, source: String)
    /// A tensor has another shape than the architecture needs.
    case shapeMismatch(key: String, expected: [Int], found: [Int], source: String)
    /// The checkpoint's structure does not match the architecture.
    case unexpectedStructure(String, source: String)
    /// A batch does not have the shape the network takes.
    case inputShape(expected: String, found: String)
    /// A weights file the user provided holds tensors the architecture does not have: `key` is
    /// the first of them (in the file's order).
    case unexpectedWeights(backbone: String, key: String, source: String)
    /// The backbone was loaded without its classifier (a Keras `include_top=False` file), so it
    /// gives features but no ImageNet class scores.
    case noClassifier(backbone: String, source: String)
    /// A weights file of another framework than the backbone's (`framework` names the file's kind),
    /// for a backbone without a twin of that framework; `hint` says which backbones read it.
    case otherFrameworksWeights(backbone: String, path: String, framework: String, hint: String)

    /// A sentence saying what went wrong and what to do.
    public var description: String {
        let setup = "run scripts/setup to (re)fetch the weights (checked by sha256)"
        switch self {
        case .unknownBackbone(let name, let known):
            return "unknown backbone '\(name)'; choose one of: \(known.joined(separator: ", "))"
        case .missingWeights(let backbone, let searched, true):
            return "weights of \(backbone) not found at \(searched.joined(separator: ", ")); \(setup), "
                + "or set SPOTCHECK_CACHE to the folder holding weights/"
        case .missingWeights(let backbone, let searched, false) where searched.first?.hasSuffix(".h5") == true:
            return "weights of \(backbone) not found (looked for \(searched.joined(separator: ", "))); copy the "
                + "Keras weights file there (or set KERAS_HOME to the folder above models/), or name the file "
                + "as \(backbone)=PATH"
        case .missingWeights(let backbone, let searched, false):
            return "weights of \(backbone) not found (looked for \(searched.joined(separator: " and "))); copy the "
                + "torchvision checkpoint there (or set TORCH_HOME to the folder above hub/), or name the file "
                + "as \(backbone)=PATH"
        case .unreadableWeights(let path, let reason, true):
            return "cannot read weights file \(path): \(reason); delete it and \(setup)"
        case .unreadableWeights(let path, let reason, false):
            return "cannot read weights file \(path): \(reason); check the file, or download it again"
        case .changedWeights(let path):
            return "weights file \(path) changed while spotcheck was reading it; run again once it is complete"
        case .incompatibleWeights(let backbone, let key, let expected, let found?, let source):
            return "\(source) does not hold \(backbone) weights: tensor '\(key)' has shape \(found), \(backbone) "
                + "needs \(expected); use the backbone name the file was made for"
        case .incompatibleWeights(let backbone, let key, let expected, nil, let source):
            return "\(source) does not hold \(backbone) weights: it has no tensor '\(key)'"
                + (expected.isEmpty ? "" : " (shape \(expected))") + "; "
                + "use the backbone name the file was made for"
        case .missingTensor(let key, let source):
            return "\(source) has no tensor '\(key)': it is not the expected checkpoint; delete it and \(setup)"
        case .shapeMismatch(let key, let expected, let found, let source):
            return "tensor '\(key)' in \(source) has shape \(found), the architecture needs \(expected); delete the file and \(setup)"
        case .unexpectedStructure(let what, let source):
            return "\(source) does not match the architecture (\(what)); delete it and \(setup)"
        case .inputShape(let expected, let found):
            return "the network takes N×\(expected) input, the batch is N×\(found); preprocess with the backbone's preset"
        case .unexpectedWeights(let backbone, let key, let source):
            return "\(source) does not hold \(backbone) weights: it has more tensors than \(backbone), the first extra "
                + "one '\(key)'; use the backbone name the file was made for"
        case .noClassifier(let backbone, let source):
            return "\(backbone) was loaded from \(source), which has no classifier (a Keras include_top=False file): "
                + "it gives features but no ImageNet classes; use the full weights file for class scores"
        case .otherFrameworksWeights(let backbone, let path, let framework, let hint):
            return "\(path) is a \(framework) weights file, which \(backbone) does not read: \(hint) "
                + "(spotcheck models lists them)"
        }
    }
}

extension BackboneError {
    /// This error as the refusal of a user-provided file for `backbone` (a missing or misshapen
    /// tensor then means the file is another network's, not that it needs fetching again).
    /// - Parameter backbone: the backbone the file was given for.
    /// - Returns: `.incompatibleWeights` for `.missingTensor` and `.shapeMismatch`, else `self`.
    func asIncompatible(backbone: String) -> BackboneError {
        switch self {
        case .missingTensor(let key, let source):
            return .incompatibleWeights(backbone: backbone, key: key, expected: [], found: nil, source: source)
        case .shapeMismatch(let key, let expected, let found, let source):
            return .incompatibleWeights(backbone: backbone, key: key, expected: expected, found: found, source: source)
        default:
            return self
        }
    }
}

extension BackboneDescriptor {
    /// Whether `scripts/setup` fetches this backbone's weights.
    public var fetchedBySetup: Bool {
        if case .setup = weights { return true }
        return false
    }
}
