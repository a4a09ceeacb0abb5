import Foundation
import LinearAlgebra

/// Training features mapped to small integer bins, as scikit-learn's `_BinMapper` does for
/// histogram gradient boosting: a feature with at most `maxBins` distinct values gets one bin per
/// value (edges at the midpoints), any other feature `maxBins` quantile bins (edges at the
/// `averaged_inverted_cdf` percentiles, duplicates removed). A value goes to bin `b` when
/// `edges[b − 1] < x ≤ edges[b]`.
struct BinnedFeatures {
    /// Training rows.
    let n: Int
    /// Features.
    let d: Int
    /// Bin of every value, column-major: `bins[f * n + i]`.
    let bins: [UInt8]
    /// The bin edges of every feature (one fewer than its bins).
    let edges: [[Double]]
    /// The value of each bin of feature `f` when it has one bin per distinct value, else nil.
    let values: [[Double]?]

    /// The number of bins of feature `f`.
    func binCount(_ f: Int) -> Int { edges[f].count + 1 }

    /// Bins the rows of `x`, features in parallel.
    /// - Parameters:
    ///   - x: n × d training rows (finite).
    ///   - maxBins: the most bins per feature, 2…256.
    init(_ x: Matrix, maxBins: Int) {
        precondition((2...256).contains(maxBins), "maxBins must be in 2…256")
        let rows = x.rows, features = x.columns
        let columnMajor = x.transposed().values
        var bins = [UInt8](repeating: 0, count: rows * features)
        var edges = [[Double]](repeating: [], count: features), values = [[Double]?](repeating: nil, count: features)
        columnMajor.withUnsafeBufferPointer { source in
            bins.withUnsafeMutableBufferPointer { target in
                edges.withUnsafeMutableBufferPointer { edgeSlots in
                    values.withUnsafeMutableBufferPointer { valueSlots in
                        Parallel.forEachRange(features) { _, range in
                            for f in range {
                                let column = UnsafeBufferPointer(rebasing: source[(f * rows)..<((f + 1) * rows)])
                                let (featureEdges, featureValues) = Self.edges(column, maxBins: maxBins)
                                edgeSlots[f] = featureEdges
                                valueSlots[f] = featureValues
                                for i in 0..<rows { target[f * rows + i] = UInt8(Self.bin(Double(column[i]), featureEdges)) }
                            }
                        }
                    }
                }
            }
        }
        n = rows
        d = features
        self.bins = bins
        self.edges = edges
        self.values = values
    }

    /// The edges of one feature and, when every distinct value has its own bin, those values.
    private static func edges(_ column: UnsafeBufferPointer<Float>, maxBins: Int) -> ([Double], [Double]?) {
        let sorted = column.map(Double.init).sorted()
        var distinct = [Double]()
        for v in sorted where distinct.last != v { distinct.append(v) }
        guard distinct.count > 1 else { return ([], distinct) }
        if distinct.count <= maxBins {
            return (zip(distinct, distinct.dropFirst()).map { ($0 + $1) / 2 }, distinct)
        }
        // numpy.percentile(sorted, linspace(0, 100, maxBins + 1)[1:-1], method="averaged_inverted_cdf").
        let count = sorted.count
        var cuts = [Double]()
        for i in 1..<maxBins {
            let quantile = Double(i) * (100 / Double(maxBins)) / 100
            let virtual = Double(count) * quantile - 1
            let previous = virtual.rounded(.down)
            let gamma = virtual - previous
            var low = Int(previous), high = low + 1
            if virtual >= Double(count - 1) { low = count - 1; high = count - 1 }
            if virtual < 0 { low = 0; high = 0 }
            let a = sorted[low], b = sorted[high]
            cuts.append(gamma == 0 ? b - (b - a) * 0.5 : b)
        }
        var unique = [Double]()
        for c in cuts.sorted() where unique.last != c { unique.append(min(c, 1e300)) }
        return (unique, nil)
    }

    /// The bin of `x`: the first edge ≥ `x` (the count of edges below it).
    static func bin(_ x: Double, _ edges: [Double]) -> Int {
        var low = 0, high = edges.count
        while low < high {
            let middle = low + (high - low - 1) / 2
            if x <= edges[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
