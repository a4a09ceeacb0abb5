/// One attribute value of a feature store: HDF5 scalar strings (UTF-8) and integers (int64).
public enum FeatureStoreAttributeValue: Sendable, Equatable, CustomStringConvertible {
    /// A UTF-8 string.
    case string(String)
    /// A 64-bit integer.
    case integer(Int)

    /// The value as text.
    public var description: String {
        switch self {
        case .string(let text): return text
        case .integer(let number): return String(number)
        }
    }
}

/// The attributes of a feature store's root group: an open set of named string and integer
/// values, with typed accessors for the ones spotcheck writes.
///
/// They are read without touching the datasets, so comparing a stored fingerprint with a fresh
/// one is cheap.
public struct FeatureStoreAttributes: Sendable, Equatable {
    /// Every attribute by name.
    public var values: [String: FeatureStoreAttributeValue]

    /// Attributes holding `values` (none by default).
    /// - Parameter values: the attributes by name.
    public init(_ values: [String: FeatureStoreAttributeValue] = [:]) {
        self.values = values
    }

    /// The attribute called `name`, if any.
    public subscript(name: String) -> FeatureStoreAttributeValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// The string attribute called `name`, or `nil` when absent or not a string.
    /// - Parameter name: the attribute name.
    /// - Returns: its text.
    public func string(_ name: String) -> String? {
        if case .string(let text)? = values[name] { return text }
        return nil
    }

    /// The integer attribute called `name`, or `nil` when absent or not an integer.
    /// - Parameter name: the attribute name.
    /// - Returns: its value.
    public func integer(_ name: String) -> Int? {
        if case .integer(let number)? = values[name] { return number }
        return nil
    }

    /// The names spotcheck writes.
    public enum Key {
        /// The backbone that made the features, e.g. `mobilenet_v2`.
        public static let extractor = "extractor"
        /// The sha256 of the backbone's weight file.
        public static let weightsSHA256 = "weights_sha256"
        /// The square input side in pixels, e.g. 224.
        public static let inputSize = "input_size"
        /// The preprocessing applied before the network, e.g. `torch: resize 256, crop 224, ImageNet mean/std`.
        public static let preprocessing = "preprocessing"
        /// Where the features come from in the network, e.g. `global average pool`.
        public static let layout = "layout"
        /// The spotcheck version that wrote the store.
        public static let toolVersion = "tool_version"
        /// When the store was created, ISO 8601 UTC.
        public static let createdAt = "created_at"
        /// How images were made square before the network: `crop`, `squash` or `pad`.
        public static let fit = "fit"
        /// The shape of one image's last feature map, e.g. `1280×7×7`.
        public static let featureMapShape = "feature_map_shape"
        /// A digest of the images the store was made from (paths, sizes, dates).
        public static let datasetFingerprint = "dataset_fingerprint"
        /// The dataset folder the store was made from.
        public static let datasetRoot = "dataset_root"
        /// The seed of the random order the rows were written in.
        public static let rowOrderSeed = "row_order_seed"
    }

    /// The backbone that made the features.
    public var extractor: String? {
        get { string(Key.extractor) }
        set { values[Key.extractor] = newValue.map { .string($0) } }
    }

    /// The sha256 of the backbone's weight file.
    public var weightsSHA256: String? {
        get { string(Key.weightsSHA256) }
        set { values[Key.weightsSHA256] = newValue.map { .string($0) } }
    }

    /// The square input side in pixels.
    public var inputSize: Int? {
        get { integer(Key.inputSize) }
        set { values[Key.inputSize] = newValue.map { .integer($0) } }
    }

    /// The preprocessing applied before the network.
    public var preprocessing: String? {
        get { string(Key.preprocessing) }
        set { values[Key.preprocessing] = newValue.map { .string($0) } }
    }

    /// Where in the network the features are taken.
    public var layout: String? {
        get { string(Key.layout) }
        set { values[Key.layout] = newValue.map { .string($0) } }
    }

    /// The spotcheck version that wrote the store.
    public var toolVersion: String? {
        get { string(Key.toolVersion) }
        set { values[Key.toolVersion] = newValue.map { .string($0) } }
    }

    /// When the store was created (ISO 8601, UTC).
    public var createdAt: String? {
        get { string(Key.createdAt) }
        set { values[Key.createdAt] = newValue.map { .string($0) } }
    }
}
