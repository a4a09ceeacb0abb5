import Extractor

/// One feature extractor of a run: a backbone, the layout its last feature map is stored in, and
/// how images are made square. Each has its own name in the report and its own feature store.
struct ExtractorSpec: Hashable {
    /// The backbone, e.g. `mobilenet_v2`.
    var backbone: String
    /// How the feature map becomes a row.
    var layout: FeatureLayout
    /// How images are made square.
    var fit: Preprocessing.Fit

    /// The name in the report: the backbone alone for the default `avg` layout (as before
    /// layouts existed), else `backbone:layout`, e.g. `mobilenet_v2:flat`.
    var name: String { layout == .average ? backbone : "\(backbone):\(layout.name)" }

    /// The store's file name: `mobilenet_v2.h5`, `mobilenet_v2-grid2.h5`, `mobilenet_v2-flat-pad.h5`,
    /// so stores of different layouts or fits never share a file.
    var storeFileName: String {
        [backbone, layout == .average ? nil : layout.name, fit == .crop ? nil : fit.rawValue]
            .compactMap { $0 }.joined(separator: "-") + ".h5"
    }

    /// The extractors of `--extractors` × `--layouts`: an entry written `backbone:layout` keeps
    /// its own layout, a bare backbone gets each of `layouts`; duplicates are dropped.
    /// - Parameters:
    ///   - entries: backbone names, each optionally with `:layout`.
    ///   - layouts: the layouts for bare names.
    ///   - fit: how images are made square, for all of them.
    /// - Throws: `BackboneError` for an unknown backbone, `FeatureLayoutError` for an unknown layout.
    static func expand(_ entries: [String], layouts: [FeatureLayout], fit: Preprocessing.Fit) throws -> [ExtractorSpec] {
        var specs = [ExtractorSpec]()
        for entry in entries {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            let backbone = parts.first ?? entry
            _ = try BackboneRegistry.descriptor(named: backbone)
            let own = try parts.dropFirst().first.map { try FeatureLayout(parsing: $0) }
            for layout in own.map({ [$0] }) ?? layouts {
                let spec = ExtractorSpec(backbone: backbone, layout: layout, fit: fit)
                if !specs.contains(spec) { specs.append(spec) }
            }
        }
        return specs
    }
}
