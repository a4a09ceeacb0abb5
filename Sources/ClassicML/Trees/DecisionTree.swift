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
    /// Checks a decoded tree: parallel arrays of one length, every split's feature inside the
    /// width and its children after it (so walking the tree always ends at a leaf), finite
    /// thresholds, and `classCount` finite values per node.
    /// - Parameters:
    ///   - columns: the feature width the tree was fitted on.
    ///   - classCount: the values stored per node.
    /// - Throws: `ClassicMLError.modelFile` naming the first inconsistency.
    func validate(columns: Int, classCount: Int) throws {
        let count = feature.count
        try LoadCheck.require(count >= 1 && threshold.count == count && left.count == count && right.count == count,
                              "a stored tree's node arrays are empty or differ in length")
        try LoadCheck.vector(value, count: count * classCount, "a stored tree's node values")
        for node in 0..<count where feature[node] >= 0 {
            try LoadCheck.require(Int(feature[node]) < columns,
                                  "tree node \(node) splits on feature \(feature[node]) of \(columns)")
            try LoadCheck.require(Int(left[node]) > node && Int(left[node]) < count && Int(right[node]) > node
                                  && Int(right[node]) < count, "tree node \(node) has children outside the tree or before it")
            try LoadCheck.require(threshold[node].isFinite, "tree node \(node) has a non-finite threshold")
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
