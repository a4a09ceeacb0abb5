import Foundation
import LinearAlgebra

/// A block of consecutive rows read from a feature store.
public struct FeatureBatch: Sendable {
    /// The row indices the batch covers.
    public let rows: Range<Int>
    /// One feature vector per row.
    public let features: Matrix
    /// One label per row (an index into the store's `labelNames`).
    public let labels: [Int]
}

/// Reads a feature store: spotcheck's own files and the cookbook's h5py files (64-bit
/// `features`, no `paths`, no attributes) alike.
///
/// Opening reads only shapes, class names and attributes; rows are read on demand, by range or
/// in batches, so a file larger than memory can be streamed.
public final class FeatureStoreReader {
    /// The file.
    public let url: URL
    /// Number of rows (samples).
    public let rowCount: Int
    /// Number of features per row.
    public let dimension: Int
    /// Class names; label `i` means `labelNames[i]`.
    public let labelNames: [String]
    /// The root group's string and integer attributes (empty for cookbook files).
    public let attributes: FeatureStoreAttributes
    /// Whether the file stores one source path per row.
    public var hasPaths: Bool { store.paths != nil }
    /// Whether `features` is stored as 64-bit floats (values are returned as `Float` regardless).
    public var storesDoubles: Bool { store.featuresAreDouble }

    private let store: StoreFile

    /// Opens the store at `url` and checks its layout.
    /// - Parameter url: an HDF5 feature store.
    /// - Throws: `FeatureStoreError.fileNotFound`, `.notHDF5`, `.missingDataset`,
    ///   `.invalidLayout`, or `.rowCountMismatch` when `features`, `labels` and `paths` disagree.
    public init(url: URL) throws(FeatureStoreError) {
        self.url = url
        let store = try StoreFile(path: url.path, writable: false)
        self.store = store
        guard store.labelRows == store.featureRows, (store.pathRows ?? store.featureRows) == store.featureRows else {
            throw .rowCountMismatch(path: url.path, features: store.featureRows, labels: store.labelRows,
                                    paths: store.pathRows)
        }
        rowCount = store.featureRows
        dimension = store.dimension
        labelNames = store.labelNames
        attributes = try store.attributes()
    }

    /// Every label, in row order.
    /// - Returns: `rowCount` labels.
    /// - Throws: `FeatureStoreError.invalidLayout` when a label has no class name; `.hdf5` on a read failure.
    public func labels() throws(FeatureStoreError) -> [Int] {
        try labels(0..<rowCount)
    }

    /// The number of rows of each class, indexed like `labelNames`.
    /// - Returns: one count per class.
    /// - Throws: as `labels()`.
    public func classCounts() throws(FeatureStoreError) -> [Int] {
        var counts = [Int](repeating: 0, count: labelNames.count)
        for label in try labels() { counts[label] += 1 }
        return counts
    }

    /// Reads rows `range` into a new matrix, with their labels.
    /// - Parameter range: row indices within `0..<rowCount`.
    /// - Returns: the batch.
    /// - Throws: `.invalidArgument` for a range outside the store; otherwise as `labels()`.
    public func readRows(_ range: Range<Int>) throws(FeatureStoreError) -> FeatureBatch {
        var matrix = Matrix(rows: range.count, columns: dimension)
        let labels = try readRows(range, into: &matrix.values)
        return FeatureBatch(rows: range, features: matrix, labels: labels)
    }

    /// Reads the features of rows `range` into the start of `buffer` (row-major, no allocation
    /// of feature storage) and returns their labels.
    /// - Parameters:
    ///   - range: row indices within `0..<rowCount`.
    ///   - buffer: at least `range.count × dimension` floats.
    /// - Returns: the labels of those rows.
    /// - Throws: `.invalidArgument` for a range outside the store or a short buffer; otherwise as `labels()`.
    public func readRows(_ range: Range<Int>, into buffer: inout [Float]) throws(FeatureStoreError) -> [Int] {
        try checkRange(range)
        guard buffer.count >= range.count * dimension else {
            throw .invalidArgument("a buffer for \(range.count) rows of \(dimension) needs \(range.count * dimension) floats, got \(buffer.count)")
        }
        try buffer.withUnsafeMutableBufferPointer { (pointer) throws(FeatureStoreError) in
            try store.readFeatures(start: range.lowerBound, count: range.count, into: pointer)
        }
        return try labels(range)
    }

    /// Visits the whole store in consecutive batches, holding one batch in memory at a time.
    /// - Parameters:
    ///   - size: rows per batch (the last one may be shorter).
    ///   - body: called with each batch, in row order.
    /// - Throws: `FeatureStoreError` from reading, or whatever `body` throws.
    public func forEachBatch(size: Int = 1000, _ body: (FeatureBatch) throws -> Void) throws {
        guard size > 0 else { throw FeatureStoreError.invalidArgument("batch size must be positive, got \(size)") }
        for start in stride(from: 0, to: rowCount, by: size) {
            try body(try readRows(start ..< min(start + size, rowCount)))
        }
    }

    /// The source paths of rows `range`.
    /// - Parameter range: row indices within `0..<rowCount`.
    /// - Returns: one path per row.
    /// - Throws: `.missingDataset` when the store has no `paths` (cookbook files); `.invalidArgument`
    ///   for a range outside the store.
    public func paths(_ range: Range<Int>) throws(FeatureStoreError) -> [String] {
        guard let dataset = store.paths else { throw .missingDataset(path: url.path, name: StoreFile.Name.paths) }
        try checkRange(range)
        return try HDF5.readStrings(dataset, start: range.lowerBound, count: range.count, path: url.path)
    }

    /// A summary of shape, classes and attributes.
    /// - Returns: the summary.
    /// - Throws: as `classCounts()`.
    public func summary() throws(FeatureStoreError) -> FeatureStoreSummary {
        FeatureStoreSummary(path: url.path, rowCount: rowCount, dimension: dimension,
                            storesDoubles: storesDoubles, hasPaths: hasPaths,
                            classes: Array(zip(labelNames, try classCounts())), attributes: attributes)
    }

    private func labels(_ range: Range<Int>) throws(FeatureStoreError) -> [Int] {
        let labels = try store.readLabels(start: range.lowerBound, count: range.count)
        if let bad = labels.first(where: { $0 < 0 || $0 >= labelNames.count }) {
            throw .invalidLayout(path: url.path,
                                 reason: "label \(bad) has no entry in 'label_names' (\(labelNames.count) classes)")
        }
        return labels
    }

    private func checkRange(_ range: Range<Int>) throws(FeatureStoreError) {
        guard range.lowerBound >= 0, range.upperBound <= rowCount else {
            throw .invalidArgument("rows \(range) are outside the store's 0..<\(rowCount)")
        }
    }
}
