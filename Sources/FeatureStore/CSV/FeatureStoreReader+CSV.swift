extension FeatureStoreReader {
    /// Streams the store into a train and a test CSV file in the cookbook's layout
    /// (`class,feature_0,…,feature_{D-1}`, the class as its integer label), reading
    /// `batchRows` rows at a time so memory stays bounded whatever the store's size.
    ///
    /// Both files are written under temporary names and renamed into place only when complete.
    /// - Parameters:
    ///   - trainPath: where the training rows go.
    ///   - testPath: where the test rows go.
    ///   - isTest: one flag per row: `true` sends the row to `testPath`.
    ///   - batchRows: rows read per batch (default 4,096).
    ///   - overwrite: replace existing output files.
    ///   - progress: called after each batch with the number of rows written so far.
    /// - Returns: the number of rows written to each file.
    /// - Throws: `FeatureStoreError.invalidArgument` when `isTest` does not have one flag per
    ///   row; `.alreadyExists` when an output exists and `overwrite` is false; `.io` or `.hdf5`
    ///   on a read or write failure (no output is left half-written).
    @discardableResult
    public func exportCSV(trainPath: String, testPath: String, isTest: [Bool], batchRows: Int = 4096,
                          overwrite: Bool = false,
                          progress: (Int) -> Void = { _ in }) throws(FeatureStoreError) -> (train: Int, test: Int) {
        guard isTest.count == rowCount else {
            throw .invalidArgument("the split has \(isTest.count) flags for \(rowCount) rows")
        }
        guard batchRows > 0 else { throw .invalidArgument("batch size must be positive, got \(batchRows)") }
        let train = try CSVRowWriter(destination: trainPath, dimension: dimension, overwrite: overwrite)
        let test = try CSVRowWriter(destination: testPath, dimension: dimension, overwrite: overwrite)
        var buffer = [Float](repeating: 0, count: min(batchRows, rowCount) * dimension)
        for start in stride(from: 0, to: rowCount, by: batchRows) {
            let range = start ..< min(start + batchRows, rowCount)
            let labels = try readRows(range, into: &buffer)
            try buffer.withUnsafeBufferPointer { (values) throws(FeatureStoreError) in
                for (offset, row) in range.enumerated() {
                    let features = UnsafeBufferPointer(rebasing: values[offset * dimension ..< (offset + 1) * dimension])
                    try (isTest[row] ? test : train).append(label: labels[offset], features: features)
                }
            }
            progress(range.upperBound)
        }
        try train.finish()
        try test.finish()
        return (train.rowCount, test.rowCount)
    }
}
