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
///
/// The file is untrusted: opening checks that the rows each dataset declares are really stored
/// in the file (a few kilobytes claiming a billion rows are refused before anything is
/// allocated), every read that would allocate more than ``memoryBudget`` bytes is refused, and
/// a chunk whose Fletcher-32 checksum fails is reported as such.
public final class FeatureStoreReader {
    /// A quarter of the machine's memory: the default most one read may allocate.
    public static let defaultMemoryBudget = Int(clamping: ProcessInfo.processInfo.physicalMemory / 4)

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
    /// The most bytes one read may allocate; larger reads throw `.overBudget`.
    public var memoryBudget: Int { store.memoryBudget }

    private let store: StoreFile
    /// The open file, for extensions in other files of the module.
    var storeFile: StoreFile { store }

    /// Opens the store at `url` and checks its layout.
    /// - Parameters:
    ///   - url: an HDF5 feature store.
    ///   - memoryBudget: the most bytes one read may allocate (default ``defaultMemoryBudget``).
    /// - Throws: `FeatureStoreError.fileNotFound`, `.notARegularFile`, `.notHDF5`,
    ///   `.missingDataset`, `.invalidLayout`, `.rowCountMismatch` when `features`, `labels` and
    ///   `paths` disagree, `.declaredBeyondFile` when the file does not hold the rows it declares,
    ///   `.overBudget` when its class names alone exceed the budget.
    public init(url: URL, memoryBudget: Int = FeatureStoreReader.defaultMemoryBudget) throws(FeatureStoreError) {
        self.url = url
        let store = try StoreFile(path: url.path, writable: false, memoryBudget: memoryBudget)
        self.store = store
        guard store.labelRows == store.featureRows, (store.pathRows ?? store.featureRows) == store.featureRows else {
            throw .rowCountMismatch(path: url.path, features: store.featureRows, labels: store.labelRows,
                                    paths: store.pathRows)
        }
        try store.requireRowsStored(store.featureRows)
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
    /// - Throws: `.invalidArgument` for a range outside the store; `.overBudget` when the rows
    ///   need more memory than ``memoryBudget``; `.checksumMismatch` for damaged data; otherwise
    ///   as `labels()`.
    public func readRows(_ range: Range<Int>) throws(FeatureStoreError) -> FeatureBatch {
        try checkRange(range)
        try StoreFile.requireBudget(range.count, bytesEach: dimension * 4, what: "\(range.count) rows of \(dimension) features",
                                    path: url.path, budget: memoryBudget)
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
        try StoreFile.requireBudget(range.count, bytesEach: 64, what: "\(range.count) paths", path: url.path,
                                    budget: memoryBudget)
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
        try StoreFile.requireBudget(range.count, bytesEach: 16, what: "\(range.count) labels", path: url.path,
                                    budget: memoryBudget)
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
