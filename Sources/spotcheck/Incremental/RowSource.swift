import Foundation
import FeatureStore

/// Labelled rows read one at a time into a reused buffer: a CSV file or (part of) a feature store.
protocol RowSource: AnyObject {
    /// What is being read, for messages.
    var name: String { get }
    /// The feature columns' names.
    var featureNames: [String] { get }
    /// Fills `features` with the next row and returns its label; `nil` at the end.
    func readRow(into features: inout [Float]) throws -> String?
    /// Reports anything skipped on stderr.
    func reportSkips()
}

extension CSVFloatReader: RowSource {
    var name: String { path }

    func reportSkips() {
        guard skippedRows > 0 else { return }
        var text = "skipped \(skippedRows) malformed row(s) of \(path); first:\n"
        for example in skippedExamples { text += "  \(example)\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// The rows of a feature store whose indices are in `rows` (ascending), read in blocks of
/// consecutive rows so memory stays at one block whatever the store's size.
final class StoreRowSource: RowSource {
    let name: String
    let featureNames: [String]
    private let reader: FeatureStoreReader
    private let selected: [Bool]
    private let blockRows = 512
    private var block: [Float] = []
    private var blockLabels: [Int] = []
    private var blockStart = 0
    private var next = 0

    /// - Parameters:
    ///   - reader: the open store.
    ///   - rows: the row indices to visit (all rows when `nil`).
    ///   - part: a word for messages, e.g. `train`.
    init(_ reader: FeatureStoreReader, rows: [Int]?, part: String) {
        self.reader = reader
        name = reader.url.path + (rows == nil ? "" : " (\(part) rows)")
        featureNames = (0..<reader.dimension).map { "feature_\($0)" }
        var selected = [Bool](repeating: rows == nil, count: reader.rowCount)
        for row in rows ?? [] { selected[row] = true }
        self.selected = selected
    }

    func readRow(into features: inout [Float]) throws -> String? {
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
        let label = reader.labelNames[blockLabels[next - blockStart]]
        next += 1
        return label
    }

    func reportSkips() {}
}
