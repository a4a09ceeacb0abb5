/// Streams chosen rows of a feature store one at a time, reading them in blocks of consecutive
/// rows, so memory stays at one block (`blockRows × dimension` floats) whatever the store's size
/// — the way to visit a store too large, or too untrusted, to read whole.
///
///     let cursor = try FeatureStoreRowCursor(reader, rows: split.train)
///     var row = [Float]()
///     while let (index, label) = try cursor.next(into: &row) { learn(row, reader.labelNames[label]) }
public final class FeatureStoreRowCursor {
    /// The store being read.
    public let reader: FeatureStoreReader
    /// Rows per block read.
    public let blockRows: Int
    private let rows: [Int]?
    private var position = 0
    private var block: [Float] = []
    private var blockLabels: [Int] = []
    private var blockStart = 0

    /// A cursor over `rows` (every row when nil).
    /// - Parameters:
    ///   - reader: the open store.
    ///   - rows: row indices in strictly ascending order within `0..<reader.rowCount`, or nil
    ///     for all rows.
    ///   - blockRows: rows read at a time (default 512).
    /// - Throws: `.invalidArgument` for rows out of order or out of range or a non-positive
    ///   block size; `.overBudget` when one block exceeds the reader's memory budget.
    public init(_ reader: FeatureStoreReader, rows: [Int]? = nil, blockRows: Int = 512) throws(FeatureStoreError) {
        guard blockRows > 0 else { throw .invalidArgument("blockRows must be positive, got \(blockRows)") }
        if let rows {
            for (i, row) in rows.enumerated() where row < 0 || row >= reader.rowCount || (i > 0 && rows[i - 1] >= row) {
                throw .invalidArgument("row \(row) (position \(i)) is out of order or outside 0..<\(reader.rowCount); "
                    + "give distinct rows in ascending order")
            }
        }
        try StoreFile.requireBudget(min(blockRows, reader.rowCount), bytesEach: reader.dimension * 4,
                                    what: "a block of \(blockRows) rows", path: reader.url.path, budget: reader.memoryBudget)
        self.reader = reader
        self.rows = rows
        self.blockRows = blockRows
    }

    /// The number of rows the cursor visits in all.
    public var count: Int { rows?.count ?? reader.rowCount }

    /// Copies the next row's features into `features` (resized to `dimension` if needed).
    /// - Parameter features: the row buffer, reused between calls.
    /// - Returns: the row's index in the store and its label, or nil after the last row.
    /// - Throws: as `FeatureStoreReader.readRows(_:into:)` (e.g. `.checksumMismatch`).
    public func next(into features: inout [Float]) throws(FeatureStoreError) -> (row: Int, label: Int)? {
        guard position < count else { return nil }
        let row = rows?[position] ?? position
        let width = reader.dimension
        if blockLabels.isEmpty || row >= blockStart + blockLabels.count {
            let range = row..<min(row + blockRows, reader.rowCount)
            if block.count < range.count * width { block = [Float](repeating: 0, count: range.count * width) }
            blockLabels = try reader.readRows(range, into: &block)
            blockStart = row
        }
        if features.count != width { features = [Float](repeating: 0, count: width) }
        let offset = (row - blockStart) * width
        block.withUnsafeBufferPointer { source in
            features.withUnsafeMutableBufferPointer { target in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                to.update(from: from + offset, count: width)
            }
        }
        position += 1
        return (row, blockLabels[row - blockStart])
    }
}

extension FeatureStoreReader {
    /// Whether the store's features carry Fletcher-32 checksums (stores written by this version
    /// of `FeatureStoreWriter` do; older ones and most h5py files do not, so their damage cannot
    /// be detected).
    public var hasChecksums: Bool {
        (try? HDF5.storage(of: storeFile.features, path: url.path).checksummed) ?? false
    }

    /// Reads every row (in blocks) to check every chunk's checksum, so a damaged store is found
    /// before it is used.
    /// - Parameter blockRows: rows read at a time (default 4,096).
    /// - Throws: `.checksumMismatch` naming the damaged dataset; other read errors as `readRows`.
    public func verifyChecksums(blockRows: Int = 4096) throws(FeatureStoreError) {
        let cursorRows = max(1, blockRows)
        var buffer = [Float](repeating: 0, count: min(cursorRows, rowCount) * dimension)
        for start in stride(from: 0, to: rowCount, by: cursorRows) {
            let range = start..<min(start + cursorRows, rowCount)
            _ = try readRows(range, into: &buffer)
            if hasPaths { _ = try paths(range) }
        }
    }
}
