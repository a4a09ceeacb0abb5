extension FeatureStoreReader {
    /// Streams the store into a train and a test CSV file in the cookbook's layout
    /// (`class,feature_0,…,feature_{D-1}`, the class as its integer label), rows in the order
    /// given, reading `batchRows` rows at a time so memory stays bounded whatever the store's
    /// size (a store larger than the memory budget is read row by row when the order jumps).
    ///
    /// Both files are written under temporary names and renamed into place only when complete.
    /// - Parameters:
    ///   - trainPath: where the training rows go.
    ///   - testPath: where the test rows go.
    ///   - isTest: one flag per row: `true` sends the row to `testPath`.
    ///   - order: the rows in the order they are written, a permutation of `0..<rowCount`
    ///     (nil: store order).
    ///   - batchRows: rows read per batch (default 4,096).
    ///   - overwrite: replace existing output files.
    ///   - progress: called after each batch with the number of rows written so far.
    /// - Returns: the number of rows written to each file.
    /// - Throws: `FeatureStoreError.invalidArgument` when `isTest` does not have one flag per
    ///   row or `order` is not a permutation of the rows; `.alreadyExists` when an output exists and `overwrite` is false; `.io` or `.hdf5`
    ///   on a read or write failure (no output is left half-written).
    @discardableResult
    public func exportCSV(trainPath: String, testPath: String, isTest: [Bool], order: [Int]? = nil, batchRows: Int = 4096,
                          overwrite: Bool = false,
                          progress: (Int) -> Void = { _ in }) throws(FeatureStoreError) -> (train: Int, test: Int) {
        guard isTest.count == rowCount else {
            throw .invalidArgument("the split has \(isTest.count) flags for \(rowCount) rows")
        }
        guard batchRows > 0 else { throw .invalidArgument("batch size must be positive, got \(batchRows)") }
        if let order, order.count != rowCount || Set(order).count != rowCount || !order.allSatisfy({ (0..<rowCount).contains($0) }) {
            throw .invalidArgument("the row order must be a permutation of the store's \(rowCount) rows")
        }
        let train = try CSVRowWriter(destination: trainPath, dimension: dimension, overwrite: overwrite)
        let test = try CSVRowWriter(destination: testPath, dimension: dimension, overwrite: overwrite)
        // The whole store in memory when the budget allows a permuted order, else blocks in store
        // order and single rows where the order jumps.
        let wholeStore = order != nil && rowCount.multipliedReportingOverflow(by: dimension * 4).partialValue <= memoryBudget
        let blockRows = wholeStore ? rowCount : (order == nil ? batchRows : 1)
        var buffer = [Float](repeating: 0, count: min(blockRows, rowCount) * dimension)
        var labels = [Int]()
        var blockStart = -1
        for (written, row) in (order ?? Array(0..<rowCount)).enumerated() {
            if blockStart < 0 || row < blockStart || row >= blockStart + labels.count {
                blockStart = wholeStore ? 0 : row
                labels = try readRows(blockStart ..< min(blockStart + blockRows, rowCount), into: &buffer)
            }
            let offset = row - blockStart
            try buffer.withUnsafeBufferPointer { (values) throws(FeatureStoreError) in
                let features = UnsafeBufferPointer(rebasing: values[offset * dimension ..< (offset + 1) * dimension])
                try (isTest[row] ? test : train).append(label: labels[offset], features: features)
            }
            if (written + 1) % batchRows == 0 || written + 1 == rowCount { progress(written + 1) }
        }
        try train.finish()
        try test.finish()
        return (train.rowCount, test.rowCount)
    }
}
