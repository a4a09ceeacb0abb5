/// What one recipe's extraction produced: its store, how big, and whether it was made now,
/// reused or resumed.
public struct ExtractionRecord: Codable, Sendable, Equatable {
    /// The extractor's name (the recipe's name, or a feature file's own).
    public var extractor: String
    /// The store's path.
    public var featureFile: String
    /// Values per row.
    public var dimension: Int
    /// Rows in the store.
    public var rows: Int
    /// True when an existing, matching store was reused.
    public var cached: Bool
    /// True when an interrupted extraction was resumed.
    public var resumed: Bool
    /// Wall-clock seconds spent (0 for stores taken as given).
    public var seconds: Double
    /// Images per second of the network pass, when there was one.
    public var imagesPerSecond: Double?
    /// The sha256 of the backbone's weights, when known.
    public var weightsSHA256: String?
    /// How the feature map became a row (`avg`, `grid2`, `flat`), when known.
    public var layout: String?
    /// The image preprocessing, fit included, when known.
    public var preprocessing: String?

    enum CodingKeys: String, CodingKey {
        case extractor, dimension, rows, cached, resumed, seconds, layout, preprocessing
        case featureFile = "feature_file", imagesPerSecond = "images_per_second"
        case weightsSHA256 = "weights_sha256"
    }
}
