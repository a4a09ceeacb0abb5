import Foundation
import LinearAlgebra

/// One fitted classification tree in flat arrays (node `i`'s children are `left[i]`, `right[i]`;
/// `feature[i] < 0` marks a leaf). A sample goes left when `x[feature] <= threshold`.
struct DecisionTree: Codable, Sendable, Equatable {
    var feature: [Int32] = []
    var threshold: [Float] = []
    var left: [Int32] = []
    var right: [Int32] = []
    /// Per node, `classCount` class fractions (weighted by bootstrap counts); used at leaves.
    var value: [Float] = []

    /// The leaf node that row `i` of `x` falls into.
    func leaf(_ x: UnsafeBufferPointer<Float>, row i: Int, columns: Int) -> Int {
        var node = 0
        while feature[node] >= 0 {
            node = Int(x[i * columns + Int(feature[node])] <= threshold[node] ? left[node] : right[node])
        }
        return node
    }
}

/// How many features a split considers.
public enum MaxFeatures: Codable, Sendable, Equatable {
    /// `max(1, ⌊√d⌋)`, scikit-learn's default for classifiers.
    case sqrt
    /// `max(1, ⌊log₂ d⌋)`.
    case log2
    /// Every feature.
    case all
    /// A fixed number (clamped to 1…d).
    case count(Int)

    /// The number of features for a `d`-feature problem.
    func resolve(_ d: Int) -> Int {
        switch self {
        case .sqrt: return max(1, Int(Double(d).squareRoot()))
        case .log2: return max(1, Int(Foundation.log2(Double(d))))
        case .all: return d
        case .count(let k): return min(d, max(1, k))
        }
    }
}

extension DecisionTree {
    /// The class index of largest fraction at the leaf row `i` of `x` falls into (ties to the lowest).
    func predictedClass(_ x: UnsafeBufferPointer<Float>, row i: Int, columns: Int, classCount: Int) -> Int {
        let node = leaf(x, row: i, columns: columns)
        return firstMaxIndex(value[(node * classCount)..<((node + 1) * classCount)])
    }
}
