/// What `spotcheck inspect` prints: shape, classes with their row counts, and attributes.
public struct FeatureStoreSummary: Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// Number of rows.
    public let rowCount: Int
    /// Features per row.
    public let dimension: Int
    /// Whether features are stored as 64-bit floats.
    public let storesDoubles: Bool
    /// Whether the store records a source path per row.
    public let hasPaths: Bool
    /// Each class name with its number of rows, in label order.
    public let classes: [(name: String, count: Int)]
    /// The root group's attributes.
    public let attributes: FeatureStoreAttributes
    /// The source files of a virtual store (none for a real one).
    public let virtualSources: [String]

    /// The summary as aligned lines of text.
    public var description: String {
        var lines = [
            "file:       \(path)",
            "features:   \(rowCount) × \(dimension) \(storesDoubles ? "float64" : "float32")",
            "paths:      \(hasPaths ? "yes" : "no")",
        ] + (virtualSources.isEmpty ? [] : ["virtual:    rows read from \(virtualSources.count) source file(s), checked readable"]) + [
            "classes:    \(classes.count)",
        ]
        let width = classes.map { $0.name.count }.max() ?? 0
        for (label, entry) in classes.enumerated() {
            let padding = String(repeating: " ", count: width - entry.name.count)
            lines.append("  \(label)  \(entry.name)\(padding)  \(entry.count)")
        }
        lines.append("attributes: \(attributes.values.count)")
        for name in attributes.values.keys.sorted() {
            lines.append("  \(name) = \(attributes.values[name]?.description ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
