import CHDF5
import Foundation
import Glibc
import LinearAlgebra

/// Writes one feature store (one HDF5 file per extractor), row by row or batch by batch.
///
/// Rows are buffered (`bufferRows`, default 1,000) and written in blocks. The file is built as
/// `NAME.partial` beside the final name and renamed into place only by `finish()`, so a
/// finished store is always complete. After each block the file is flushed and its durable row
/// count recorded: if the process dies, `init(resuming:)` continues from the last durable row
/// instead of starting over. An existing complete store is never replaced unless asked for.
///
/// HDF5 is serialised; use a writer from one thread at a time.
public final class FeatureStoreWriter {
    /// The final name of the store.
    public let url: URL
    /// Features per row.
    public let dimension: Int
    /// Class names; a row's label indexes this list.
    public let labelNames: [String]
    /// The attributes stored on the root group.
    public let attributes: FeatureStoreAttributes
    /// Rows already flushed to the file (they survive a crash).
    public private(set) var durableRowCount: Int
    /// All rows appended so far, durable or still buffered.
    public var rowCount: Int { durableRowCount + bufferedRows }

    private let overwrite: Bool
    private let bufferRows: Int
    /// The open file (nil after `finish()`).
    private(set) var file: HDF5Object?
    private let features: HDF5Object
    private let labels: HDF5Object
    private let paths: HDF5Object
    private var featureBuffer: [Float]
    private var labelBuffer: [Int64]
    private var pathBuffer: [String]
    private var bufferedRows = 0

    /// The attribute recording the durable row count of a `.partial` file (removed by `finish()`).
    static let durableRowsAttribute = "spotcheck_durable_rows"

    /// The temporary name a store is built under: `url` with `.partial` appended.
    /// - Parameter url: the final name of a store.
    /// - Returns: the name of its in-progress file.
    public static func partialURL(for url: URL) -> URL {
        URL(fileURLWithPath: url.path + ".partial")
    }

    /// Starts a new, empty store (replacing any interrupted `.partial` of the same name).
    /// - Parameters:
    ///   - url: the final name of the store.
    ///   - dimension: features per row.
    ///   - labelNames: class names, label `i` ↔ `labelNames[i]` (sorted, as the cookbook does).
    ///   - attributes: root attributes (extractor, weights sha256, input size, …).
    ///   - bufferRows: rows held in memory before a block is written (default 1,000).
    ///   - overwrite: allow `finish()` to replace an existing complete store at `url`.
    /// - Throws: `FeatureStoreError.alreadyExists` when a store exists at `url` and `overwrite`
    ///   is false; `.invalidArgument` for a non-positive dimension or buffer; `.hdf5` when the
    ///   file cannot be created.
    public init(creating url: URL, dimension: Int, labelNames: [String],
                attributes: FeatureStoreAttributes = FeatureStoreAttributes(),
                bufferRows: Int = 1000, overwrite: Bool = false) throws(FeatureStoreError) {
        guard dimension > 0, bufferRows > 0 else {
            throw .invalidArgument("dimension and bufferRows must be positive (got \(dimension), \(bufferRows))")
        }
        if !overwrite, FileManager.default.fileExists(atPath: url.path) { throw .alreadyExists(path: url.path) }
        HDF5.silenceErrors()
        let path = Self.partialURL(for: url).path
        let file = try HDF5Object(H5Fcreate(path, sc_H5F_ACC_TRUNC(), sc_H5P_DEFAULT(), sc_H5P_DEFAULT()),
                                  .file, operation: "create the file", path: path)
        // One chunk per block (at most 16 MiB): each flush writes whole chunks, which HDF5 sends
        // straight to the file (bypassing its 1 MiB chunk cache).
        let chunkRows = max(1, min(bufferRows, (16 << 20) / (dimension * MemoryLayout<Float>.size)))
        features = try Self.createExtendible(StoreFile.Name.features, in: file, type: sc_H5T_IEEE_F32LE(),
                                             columns: dimension, chunkRows: chunkRows, path: path)
        labels = try Self.createExtendible(StoreFile.Name.labels, in: file, type: sc_H5T_STD_I64LE(),
                                           columns: nil, chunkRows: 4096, path: path)
        let stringType = try HDF5.variableStringType(path: path)
        paths = try Self.createExtendible(StoreFile.Name.paths, in: file, type: stringType.id,
                                          columns: nil, chunkRows: 1024, path: path)
        let names = try Self.createExtendible(StoreFile.Name.labelNames, in: file, type: stringType.id,
                                              columns: nil, chunkRows: max(1, labelNames.count), path: path)
        try HDF5.writeStrings(labelNames, to: names, start: 0, path: path)
        for (name, value) in attributes.values.sorted(by: { $0.key < $1.key }) {
            try HDF5.writeAttribute(name, value, to: file, path: path)
        }
        self.file = file
        self.url = url
        self.dimension = dimension
        self.labelNames = labelNames
        self.attributes = attributes
        self.bufferRows = bufferRows
        self.overwrite = overwrite
        durableRowCount = 0
        featureBuffer = [Float](repeating: 0, count: bufferRows * dimension)
        labelBuffer = [Int64](repeating: 0, count: bufferRows)
        pathBuffer = []
        pathBuffer.reserveCapacity(bufferRows)
        try markDurable()
    }

    /// Reopens the interrupted store `url.partial` to continue after its last durable row.
    ///
    /// Row counts are repaired first: every dataset is cut to the smallest count that all of
    /// them (and the recorded durable count) agree on, dropping a half-written block.
    /// - Parameters:
    ///   - url: the final name of the store (not the `.partial` name).
    ///   - bufferRows: rows held in memory before a block is written (default 1,000).
    ///   - overwrite: allow `finish()` to replace an existing complete store at `url`.
    /// - Throws: `FeatureStoreError.noPartialStore` when there is nothing to resume;
    ///   `.unresumable` when the partial file is damaged or lacks part of its layout.
    public init(resuming url: URL, bufferRows: Int = 1000, overwrite: Bool = false) throws(FeatureStoreError) {
        guard bufferRows > 0 else { throw .invalidArgument("bufferRows must be positive, got \(bufferRows)") }
        let path = Self.partialURL(for: url).path
        let point = try Self.openPartial(path, writable: true)
        let store = point.store
        let rows = point.resumePoint.rowCount
        for (dataset, columns) in [(store.features, [hsize_t(store.dimension)]), (store.labels, []),
                                   (point.paths, [])] {
            var extent = [hsize_t(rows)] + columns
            try HDF5.check(H5Dset_extent(dataset.id, &extent), "cut a half-written block", path: path)
        }
        file = store.file
        features = store.features
        labels = store.labels
        paths = point.paths
        self.url = url
        dimension = store.dimension
        labelNames = store.labelNames
        attributes = point.resumePoint.attributes
        self.bufferRows = bufferRows
        self.overwrite = overwrite
        durableRowCount = rows
        featureBuffer = [Float](repeating: 0, count: bufferRows * store.dimension)
        labelBuffer = [Int64](repeating: 0, count: bufferRows)
        pathBuffer = []
        pathBuffer.reserveCapacity(bufferRows)
        try markDurable()
    }

    /// What an interrupted store at `url.partial` holds, without changing it — to decide whether
    /// to resume it (compare its attributes with the run's) and which inputs are already done.
    /// - Parameter url: the final name of the store.
    /// - Returns: the resume point, or `nil` when there is no `.partial` file.
    /// - Throws: `FeatureStoreError.unresumable` when the partial file is damaged.
    public static func resumePoint(for url: URL) throws(FeatureStoreError) -> FeatureStoreResumePoint? {
        let path = partialURL(for: url).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try openPartial(path, writable: false).resumePoint
    }

    /// Appends one row.
    /// - Parameters:
    ///   - features: `dimension` values.
    ///   - label: an index into `labelNames`.
    ///   - path: where the row came from (e.g. the image file, relative to the dataset).
    /// - Throws: `.invalidArgument` for a wrong width or unknown label; `.hdf5` when a full
    ///   buffer cannot be written.
    public func append(features row: some Collection<Float>, label: Int, path: String) throws(FeatureStoreError) {
        guard row.count == dimension else {
            throw .invalidArgument("a row needs \(dimension) features, got \(row.count)")
        }
        try checkLabel(label)
        let offset = bufferedRows * dimension
        featureBuffer.withUnsafeMutableBufferPointer { buffer in
            _ = UnsafeMutableBufferPointer(rebasing: buffer[offset ..< offset + dimension]).update(fromContentsOf: row)
        }
        labelBuffer[bufferedRows] = Int64(label)
        pathBuffer.append(path)
        bufferedRows += 1
        if bufferedRows == bufferRows { try flush() }
    }

    /// Appends a batch of rows.
    /// - Parameters:
    ///   - features: one row per sample, `dimension` columns.
    ///   - labels: one label per row.
    ///   - paths: one source path per row.
    /// - Throws: `.invalidArgument` when the counts or width disagree or a label is unknown;
    ///   `.hdf5` when a block cannot be written.
    public func append(features batch: Matrix, labels: [Int], paths: [String]) throws(FeatureStoreError) {
        guard batch.columns == dimension, labels.count == batch.rows, paths.count == batch.rows else {
            throw .invalidArgument("a batch of \(batch.rows)×\(batch.columns) needs \(dimension) columns and "
                + "as many labels (\(labels.count)) and paths (\(paths.count)) as rows")
        }
        for label in labels { try checkLabel(label) }
        var row = 0
        while row < batch.rows {
            let take = min(bufferRows - bufferedRows, batch.rows - row)
            let offset = bufferedRows * dimension
            featureBuffer.withUnsafeMutableBufferPointer { buffer in
                batch.values.withUnsafeBufferPointer { source in
                    let rows = UnsafeBufferPointer(rebasing: source[row * dimension ..< (row + take) * dimension])
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[offset ..< offset + take * dimension])
                        .update(fromContentsOf: rows)
                }
            }
            for i in 0..<take { labelBuffer[bufferedRows + i] = Int64(labels[row + i]) }
            pathBuffer.append(contentsOf: paths[row ..< row + take])
            bufferedRows += take
            row += take
            if bufferedRows == bufferRows { try flush() }
        }
    }

    /// Writes the buffered rows as one block and makes them durable (flushed to the operating
    /// system, durable row count recorded).
    /// - Throws: `.hdf5` when the block cannot be written; `.invalidArgument` after `finish()`.
    public func flush() throws(FeatureStoreError) {
        guard bufferedRows > 0 else { return }
        let path = Self.partialURL(for: url).path
        let start = durableRowCount, count = bufferedRows
        try featureBuffer.withUnsafeBufferPointer { (buffer) throws(FeatureStoreError) in
            try Self.writeRows(buffer.baseAddress, to: features, start: start, count: count,
                               columns: dimension, memoryType: sc_H5T_NATIVE_FLOAT(), path: path)
        }
        try labelBuffer.withUnsafeBufferPointer { (buffer) throws(FeatureStoreError) in
            try Self.writeRows(buffer.baseAddress, to: labels, start: start, count: count,
                               columns: nil, memoryType: sc_H5T_NATIVE_INT64(), path: path)
        }
        try HDF5.writeStrings(pathBuffer, to: paths, start: start, path: path)
        durableRowCount += count
        bufferedRows = 0
        pathBuffer.removeAll(keepingCapacity: true)
        try markDurable()
    }

    /// Writes the last rows, closes the file and renames it into place.
    /// - Returns: the final URL of the complete store.
    /// - Throws: `.alreadyExists` when a store appeared at `url` meanwhile and `overwrite` is
    ///   false (the complete `.partial` is kept); `.hdf5` or `.io` on a write failure.
    @discardableResult
    public func finish() throws(FeatureStoreError) -> URL {
        let partial = Self.partialURL(for: url).path
        guard let file else { throw .invalidArgument("\(url.path) is already finished") }
        try flush()
        try HDF5.deleteAttribute(Self.durableRowsAttribute, of: file, path: partial)
        for object in [paths, labels, features] { object.close() }
        self.file = nil
        guard file.close() else { throw .hdf5(operation: "close the file", path: partial) }
        try moveIntoPlace(partial, url.path, overwrite: overwrite)
        return url
    }

    // MARK: - Internals

    private func checkLabel(_ label: Int) throws(FeatureStoreError) {
        guard file != nil else { throw .invalidArgument("\(url.path) is already finished") }
        guard label >= 0, label < labelNames.count else {
            throw .invalidArgument("label \(label) has no class name (\(labelNames.count) classes)")
        }
    }

    /// Flushes the file, records the durable row count, and flushes again, so that the recorded
    /// count never runs ahead of rows on disk.
    private func markDurable() throws(FeatureStoreError) {
        guard let file else { throw .invalidArgument("\(url.path) is already finished") }
        let path = Self.partialURL(for: url).path
        try HDF5.check(H5Fflush(file.id, H5F_SCOPE_LOCAL), "flush", path: path)
        try HDF5.writeAttribute(Self.durableRowsAttribute, .integer(durableRowCount), to: file, path: path)
        try HDF5.check(H5Fflush(file.id, H5F_SCOPE_LOCAL), "flush", path: path)
    }

    /// Creates an empty, chunked dataset that grows along its first dimension.
    static func createExtendible(_ name: String, in file: HDF5Object, type: hid_t, columns: Int?,
                                         chunkRows: Int, path: String) throws(FeatureStoreError) -> HDF5Object {
        let current = [hsize_t(0)] + (columns.map { [hsize_t($0)] } ?? [])
        let maximum = [sc_H5S_UNLIMITED()] + (columns.map { [hsize_t($0)] } ?? [])
        let chunk = [hsize_t(chunkRows)] + (columns.map { [hsize_t($0)] } ?? [])
        let space = try HDF5Object(H5Screate_simple(Int32(current.count), current, maximum), .dataspace,
                                   operation: "make a dataspace", path: path)
        let properties = try HDF5Object(H5Pcreate(sc_H5P_DATASET_CREATE()), .propertyList,
                                        operation: "make dataset properties", path: path)
        try HDF5.check(H5Pset_chunk(properties.id, Int32(chunk.count), chunk), "set chunking", path: path)
        // A Fletcher-32 checksum per chunk of numbers: a read of data changed after writing
        // fails (`FeatureStoreError.checksumMismatch`) instead of returning wrong numbers.
        // (HDF5 allows no filter on variable-length strings.)
        if H5Tis_variable_str(type) <= 0 {
            try HDF5.check(H5Pset_fletcher32(properties.id), "add checksums", path: path)
        }
        return try HDF5Object(H5Dcreate2(file.id, name, type, space.id, sc_H5P_DEFAULT(), properties.id, sc_H5P_DEFAULT()),
                              .dataset, operation: "create dataset '\(name)'", path: path)
    }

    /// Grows `dataset` to `start + count` rows and writes `count` rows from `source` at `start`.
    private static func writeRows(_ source: UnsafeRawPointer?, to dataset: HDF5Object, start: Int, count: Int,
                                  columns: Int?, memoryType: hid_t, path: String) throws(FeatureStoreError) {
        let extent = [start + count] + (columns.map { [$0] } ?? [])
        var size = extent.map { hsize_t($0) }
        try HDF5.check(H5Dset_extent(dataset.id, &size), "grow a dataset", path: path)
        let selection = try HDF5.rowSelection(of: dataset, extent: extent, start: start, count: count, path: path)
        try HDF5.check(H5Dwrite(dataset.id, memoryType, selection.memory.id, selection.file.id, sc_H5P_DEFAULT(), source),
                       "write rows \(start)..<\(start + count)", path: path)
    }

    /// Opens a `.partial` file and works out the row count its datasets agree on.
    private static func openPartial(_ path: String, writable: Bool)
        throws(FeatureStoreError) -> (store: StoreFile, paths: HDF5Object, resumePoint: FeatureStoreResumePoint) {
        let store: StoreFile
        do {
            store = try StoreFile(path: path, writable: writable, memoryBudget: FeatureStoreReader.defaultMemoryBudget)
        } catch .fileNotFound {
            throw .noPartialStore(path: path)
        } catch {
            throw .unresumable(path: path, reason: error.description)
        }
        guard let paths = store.paths, let pathRows = store.pathRows else {
            throw .unresumable(path: path, reason: "it has no 'paths' dataset, so it was not written by spotcheck")
        }
        var attributes = try store.attributes()
        let recorded = attributes.integer(durableRowsAttribute) ?? Int.max
        attributes[durableRowsAttribute] = nil
        let rows = max(0, min(store.featureRows, store.labelRows, pathRows, recorded))
        do {
            try store.requireRowsStored(rows)
            try StoreFile.requireBudget(rows, bytesEach: 64, what: "\(rows) paths", path: path, budget: store.memoryBudget)
        } catch {
            throw .unresumable(path: path, reason: error.description)
        }
        let durablePaths = try HDF5.readStrings(paths, start: 0, count: rows, path: path)
        let point = FeatureStoreResumePoint(rowCount: rows, paths: durablePaths, dimension: store.dimension,
                                            labelNames: store.labelNames, attributes: attributes)
        return (store, paths, point)
    }
}

/// What an interrupted store holds: enough to decide whether to resume it and where.
public struct FeatureStoreResumePoint: Sendable, Equatable {
    /// Rows that all datasets hold completely (rows beyond are dropped on resume).
    public let rowCount: Int
    /// The source path of each durable row, in row order.
    public let paths: [String]
    /// Features per row.
    public let dimension: Int
    /// Class names.
    public let labelNames: [String]
    /// The store's attributes (compare them with the run's before resuming).
    public let attributes: FeatureStoreAttributes
}
