import LinearAlgebra

/// One fitted regression tree of a boosted ensemble, in flat arrays: node `i` splits on
/// `feature[i]` (a leaf when negative), sends `x[feature] <= threshold[i]` to `left[i]`, the rest
/// to `right[i]`, and a leaf contributes `value[i]` to its score.
struct RegressionTree: Codable, Equatable, Sendable {
    var feature: [Int32] = []
    var threshold: [Double] = []
    var left: [Int32] = []
    var right: [Int32] = []
    var value: [Double] = []

    /// Appends a leaf node and returns its index.
    mutating func addLeaf() -> Int {
        feature.append(-1); threshold.append(0); left.append(-1); right.append(-1); value.append(0)
        return feature.count - 1
    }

    /// The value of the leaf row `i` of `x` (row-major, `columns` wide) falls into.
    func predict(_ x: UnsafeBufferPointer<Float>, row i: Int, columns: Int) -> Double {
        var node = 0
        while feature[node] >= 0 {
            node = Int(Double(x[i * columns + Int(feature[node])]) <= threshold[node] ? left[node] : right[node])
        }
        return value[node]
    }

    /// Checks a decoded tree as `DecisionTree.validate` does: equal array lengths, features inside
    /// the width, children after their parent, finite numbers.
    func validate(columns: Int) throws {
        let count = feature.count
        try LoadedModelCheck.require(count >= 1 && threshold.count == count && left.count == count && right.count == count
                              && value.count == count, "a stored regression tree's node arrays are empty or differ in length")
        try LoadedModelCheck.finite(value, "a stored regression tree's leaf values")
        for node in 0..<count where feature[node] >= 0 {
            try LoadedModelCheck.require(Int(feature[node]) < columns, "tree node \(node) splits on feature \(feature[node]) of \(columns)")
            try LoadedModelCheck.require(Int(left[node]) > node && Int(left[node]) < count && Int(right[node]) > node
                                  && Int(right[node]) < count, "tree node \(node) has children outside the tree or before it")
            try LoadedModelCheck.require(!threshold[node].isNaN, "tree node \(node) has a NaN threshold")
        }
    }
}
