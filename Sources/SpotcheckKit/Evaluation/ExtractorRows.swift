import FeatureStore
import Foundation
import LinearAlgebra

/// One extractor's features for the run's split: the training and test rows, by key, read from
/// its store.
struct ExtractorRows: Sendable {
    var train: Matrix
    var trainLabels: [Int]
    var test: Matrix
    var testLabels: [Int]
    /// The keys of the test rows, in order.
    var testKeys: [String]

    /// Reads the rows of `split` from `store`; keys the store does not hold are left out.
    /// - Throws: `FeatureStoreError` when the store cannot be read.
    init(store: URL, split: RunSplit) throws {
        let reader = try FeatureStoreReader(url: store)
        let all = try reader.readRows(0..<reader.rowCount)
        let keys = try RunStores.keys(of: reader)
        let rowOf = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let trainRows = split.trainKeys.compactMap { rowOf[$0] }
        let testRows = split.testKeys.compactMap { rowOf[$0] }
        train = all.features.rows(at: trainRows)
        trainLabels = trainRows.map { all.labels[$0] }
        test = all.features.rows(at: testRows)
        testLabels = testRows.map { all.labels[$0] }
        testKeys = testRows.map { keys[$0] }
    }
}
