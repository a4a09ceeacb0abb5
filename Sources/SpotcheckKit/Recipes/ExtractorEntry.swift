import Extractor
import Foundation

/// One extractor entry as `--extractors` takes it: `backbone`, `backbone:layout`, either with
/// `=PATH` naming a weights file. A file of another framework than the named backbone's runs as
/// that backbone's twin of the file's framework (see `BackboneRegistry.backbone(named:forWeightsAt:)`):
/// `vgg16=vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5` runs Keras' VGG16, `keras_vgg16`.
public struct ExtractorEntry: Hashable, Sendable {
    /// The entry as written.
    public let text: String
    /// The backbone as the entry names it.
    public let requestedBackbone: String
    /// The backbone that runs: ``requestedBackbone`` or its twin of the weights file's framework.
    public let backbone: String
    /// The entry's own layout (`:layout`), or nil to use the run's layouts.
    public let layout: FeatureLayout?
    /// The text after `=`, trimmed (empty when the entry ends in `=`), or nil without `=`.
    public let path: String?

    /// Parses an entry and checks its backbone and layout.
    /// - Parameter text: `backbone[:layout][=PATH]`; `~` in the path is expanded.
    /// - Throws: `BackboneError.unknownBackbone`, `.otherFrameworksWeights` (a file of another
    ///   framework for a backbone without a twin there), `FeatureLayoutError` for an unknown layout.
    public init(parsing text: String) throws {
        self.text = text
        let halves = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let parts = halves[0].split(separator: ":", maxSplits: 1).map(String.init)
        requestedBackbone = parts.first ?? halves[0]
        layout = try parts.dropFirst().first.map { try FeatureLayout(parsing: $0) }
        path = halves.count == 2 ? halves[1].trimmingCharacters(in: .whitespaces) : nil
        if let file = Self.file(at: path) {
            backbone = try BackboneRegistry.backbone(named: requestedBackbone, forWeightsAt: file)
        } else {
            _ = try BackboneRegistry.descriptor(named: requestedBackbone)
            backbone = requestedBackbone
        }
    }

    /// The weights file the entry names, standardised, or nil (no `=`, or nothing after it).
    public var file: URL? { Self.file(at: path) }

    /// `path` with `~` expanded, standardised; nil when absent or empty.
    private static func file(at path: String?) -> URL? {
        guard let path, !path.isEmpty else { return nil }
        return URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL
    }
}
