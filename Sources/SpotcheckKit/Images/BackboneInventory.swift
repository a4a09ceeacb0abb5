import Extractor
import Foundation

/// What spotcheck can run: every backbone, whether its weights are present, its sizes and its
/// preprocessing — `spotcheck models`.
public enum BackboneInventory {
    /// One backbone's entry.
    public struct Entry: Sendable, Equatable {
        /// The backbone's name.
        public var name: String
        /// Whether its weights file is present.
        public var weightsPresent: Bool
        /// The weights file found, or nil.
        public var weightsFile: String?
        /// Where the weights were looked for (files, or `folder/pattern`).
        public var searched: [String]
        /// Whether `scripts/setup` fetches its weights (else they are the user's own files).
        public var fetchedBySetup: Bool
        /// The square input side in pixels.
        public var inputSize: Int
        /// Length of the pooled feature vector.
        public var featureDimension: Int
        /// Parameters in the weights file (nil when absent or unreadable).
        public var parameters: Int?
        /// The preprocessing it uses.
        public var preprocessing: String
    }

    /// Every backbone, in registry order; the parameter count needs the weights, so it is read
    /// only where they are present.
    /// - Parameter directory: the weights folder (default: `$SPOTCHECK_CACHE/weights`).
    /// - Returns: one entry per backbone.
    public static func entries(directory: URL? = nil) -> [Entry] {
        let directory = directory ?? WeightsDirectory.url()
        return BackboneRegistry.all.map { descriptor in
            let lookup = BackboneRegistry.locateWeights(for: descriptor, directory: directory)
            let present = lookup.file != nil
            let parameters = present
                ? (try? BackboneRegistry.load(descriptor.name, directory: directory, threads: 1))?.parameterCount : nil
            return Entry(name: descriptor.name, weightsPresent: present, weightsFile: lookup.file?.path,
                         searched: lookup.searched, fetchedBySetup: descriptor.fetchedBySetup,
                         inputSize: descriptor.inputSize,
                         featureDimension: descriptor.featureDimension, parameters: parameters,
                         preprocessing: descriptor.preprocessing.name)
        }
    }
}
