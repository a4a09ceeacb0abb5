import Foundation

/// Chosen rows of a feature store as a labelled row source for out-of-core learning: a
/// `FeatureStoreRowCursor` in store order that names its rows' classes and its columns as the
/// cookbook's CSV does.
public final class FeatureStoreRowSource {
    /// What is being read, for messages: the store's path and which part.
    public let name: String
    /// `feature_0`, `feature_1`, …: the cookbook's CSV column names.
    public let featureNames: [String]
    private let cursor: FeatureStoreRowCursor

    /// Rows of an open store, visited in store order.
    /// - Parameters:
    ///   - reader: the open store.
    ///   - rows: the row indices to visit (all rows when nil).
    ///   - part: a word for messages, e.g. `train`.
    /// - Throws: `FeatureStoreError.invalidArgument` for an index out of range or repeated,
    ///   `.overBudget` when one block of rows exceeds the reader's memory budget.
    public init(_ reader: FeatureStoreReader, rows: [Int]?, part: String) throws(FeatureStoreError) {
        cursor = try FeatureStoreRowCursor(reader, rows: rows?.sorted())
        name = reader.url.path + (rows == nil ? "" : " (\(part) rows)")
        featureNames = (0..<reader.dimension).map { "feature_\($0)" }
    }

    /// Fills `features` with the next row and returns its class name; nil at the end.
    /// - Throws: `FeatureStoreError` when the store cannot be read.
    public func readRow(into features: inout [Float]) throws -> String? {
        guard let (_, label) = try cursor.next(into: &features) else { return nil }
        let names = cursor.reader.labelNames
        return names.indices.contains(label) ? names[label] : String(label)
    }
}
