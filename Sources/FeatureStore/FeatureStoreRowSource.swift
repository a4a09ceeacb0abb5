import Foundation

/// The rows of a feature store whose indices are in a given set, one at a time into a reused
/// buffer, read in blocks of consecutive rows so memory stays at one block whatever the store's
/// size (for out-of-core learning).
public final class FeatureStoreRowSource {
    /// What is being read, for messages: the store's path and which part.
    public let name: String
    /// `feature_0`, `feature_1`, …: the cookbook's CSV column names.
    public let featureNames: [String]
    private let reader: FeatureStoreReader
    private let selected: [Bool]
    private let blockRows = 512
    private var block: [Float] = []
    private var blockLabels: [Int] = []
    private var blockStart = 0
    private var next = 0

    /// Rows of an open store.
    /// - Parameters:
    ///   - reader: the open store.
    ///   - rows: the row indices to visit (all rows when nil); out-of-range indices are ignored.
    ///   - part: a word for messages, e.g. `train`.
    public init(_ reader: FeatureStoreReader, rows: [Int]?, part: String) {
        self.reader = reader
        name = reader.url.path + (rows == nil ? "" : " (\(part) rows)")
        featureNames = (0..<reader.dimension).map { "feature_\($0)" }
        var selected = [Bool](repeating: rows == nil, count: reader.rowCount)
        for row in rows ?? [] where selected.indices.contains(row) { selected[row] = true }
        self.selected = selected
    }

    /// Fills `features` with the next selected row and returns its class name; nil at the end.
    /// - Throws: `FeatureStoreError` when the store cannot be read.
    public func readRow(into features: inout [Float]) throws -> String? {
        while next < selected.count, !selected[next] { next += 1 }
        guard next < selected.count else { return nil }
        let width = reader.dimension
        if blockLabels.isEmpty || next >= blockStart + blockLabels.count {
            blockStart = next
            let range = next..<min(next + blockRows, selected.count)
            if block.count < range.count * width { block = [Float](repeating: 0, count: range.count * width) }
            blockLabels = try reader.readRows(range, into: &block)
        }
        if features.count != width { features = [Float](repeating: 0, count: width) }
        let offset = (next - blockStart) * width
        block.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            features.withUnsafeMutableBufferPointer { $0.baseAddress?.update(from: base + offset, count: width) }
        }
        let label = blockLabels[next - blockStart]
        next += 1
        return reader.labelNames.indices.contains(label) ? reader.labelNames[label] : String(label)
    }
}
