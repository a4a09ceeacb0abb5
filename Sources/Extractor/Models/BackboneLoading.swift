import Foundation

extension BackboneRegistry {
    /// Where a backbone's weights file is expected.
    /// - Parameters:
    ///   - descriptor: the backbone.
    ///   - directory: the weights folder (default: `$SPOTCHECK_CACHE/weights`, see `WeightsDirectory`).
    /// - Returns: the file's URL (it may not exist).
    public static func weightsURL(for descriptor: BackboneDescriptor, directory: URL? = nil) -> URL {
        (directory ?? WeightsDirectory.url()).appendingPathComponent(descriptor.weightsFile)
    }

    /// Whether a backbone's weights file is present.
    /// - Parameters:
    ///   - descriptor: the backbone.
    ///   - directory: the weights folder (default: `$SPOTCHECK_CACHE/weights`).
    /// - Returns: `true` when the file exists.
    public static func hasWeights(_ descriptor: BackboneDescriptor, directory: URL? = nil) -> Bool {
        FileManager.default.fileExists(atPath: weightsURL(for: descriptor, directory: directory).path)
    }

    /// Reads a backbone's weights and assembles it. The weights file is checked against its
    /// published sha256 the first time it is used (see `WeightsVerification`; later loads only
    /// compare a marker with the file's metadata).
    /// - Parameters:
    ///   - name: the backbone's name.
    ///   - directory: the weights folder (default: `$SPOTCHECK_CACHE/weights`).
    ///   - threads: threads for the network's loops (default: the active processor count).
    /// - Returns: the ready network.
    /// - Throws: `BackboneError` naming the file and `scripts/setup` when the file is missing,
    ///   has another sha256 than the published one (both digests named), is unreadable or does
    ///   not match the architecture; `.unknownBackbone` for a wrong name.
    public static func load(_ name: String, directory: URL? = nil,
                            threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Backbone {
        let descriptor = try descriptor(named: name)
        let url = weightsURL(for: descriptor, directory: directory)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw BackboneError.missingWeights(path: url.path)
        }
        let tensors: [String: WeightTensor]
        do {
            try WeightsVerification.verify(url, expected: descriptor.weightsSHA256)
            tensors = try Checkpoint.load(contentsOf: url)
        } catch let error as CheckpointError {
            throw BackboneError.unreadableWeights(path: url.path, reason: error.reason.summary)
        }
        return try Backbone(descriptor: descriptor, tensors: tensors, source: url.path, threads: threads)
    }
}
