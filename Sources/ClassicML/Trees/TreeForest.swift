import LinearAlgebra

/// Hyper-parameters of a tree ensemble (scikit-learn names in parentheses).
public struct ForestParameters: Codable, Sendable, Equatable {
    /// Number of trees (`n_estimators`), default 100.
    public var trees: Int
    /// Deepest level a node may reach (`max_depth`); nil grows until leaves are pure.
    public var maxDepth: Int?
    /// Fewest samples a node needs to be split (`min_samples_split`), default 2.
    public var minSamplesSplit: Int
    /// Fewest samples each child must keep (`min_samples_leaf`), default 1.
    public var minSamplesLeaf: Int
    /// Features considered per split (`max_features`), default √d.
    public var maxFeatures: MaxFeatures
    /// Whether each tree sees a bootstrap sample (`bootstrap`).
    public var bootstrap: Bool
    /// The seed every tree's generator derives from, with the tree's index (`random_state`).
    public var seed: UInt64

    /// Throws unless every limit is in range.
    func validate() throws {
        guard trees >= 1 else { throw ClassicMLError.invalidParameter("a forest needs at least 1 tree, got \(trees)") }
        guard minSamplesSplit >= 2, minSamplesLeaf >= 1, (maxDepth ?? 1) >= 1 else {
            throw ClassicMLError.invalidParameter(
                "need minSamplesSplit ≥ 2, minSamplesLeaf ≥ 1 and maxDepth ≥ 1 (got \(minSamplesSplit), \(minSamplesLeaf), \(maxDepth ?? 0))")
        }
    }
}

/// The fitted trees of a forest and how they vote: the mean of every tree's leaf class fractions.
struct TreeForest: Codable, Sendable, Equatable {
    var trees: [DecisionTree] = []
    var columns = 0

    /// An unfitted forest.
    init() {}

    /// A forest of given trees over `columns` features.
    init(trees: [DecisionTree], columns: Int) {
        self.trees = trees
        self.columns = columns
    }

    /// Grows `parameters.trees` trees on `jobs` threads; tree `t` draws only from a generator
    /// seeded by (seed, t), so the result does not depend on `jobs`.
    init(fitting x: Matrix, classIndex: [Int32], classCount: Int, parameters: ForestParameters,
         randomSplits: Bool, featuresInIndexOrder: Bool = false, jobs: Int) {
        columns = x.columns
        let n = x.rows, d = x.columns
        let maxFeatures = parameters.maxFeatures.resolve(d)
        let everyFeature = !randomSplits && maxFeatures >= d
        // Random splits gather each candidate feature of a node once (min, max, one pass), which
        // costs about the same from rows as from columns; transposing the whole matrix first
        // would cost more than the trees (2.6× for one extra tree on 870 × 25,088 — BENCHMARKS.md).
        let readsRows = randomSplits
        let values = readsRows ? x.values : x.transposed().values
        let presorted = everyFeature ? values.withUnsafeBufferPointer { TreeBuilder.presort($0, n: n, d: d) } : []
        trees = values.withUnsafeBufferPointer { data in
            classIndex.withUnsafeBufferPointer { labels in
                presorted.withUnsafeBufferPointer { order in
                    var builder = TreeBuilder(data: data, n: n, d: d, featureStride: readsRows ? 1 : n,
                                              sampleStride: readsRows ? d : 1, labels: labels, classCount: classCount,
                                              maxFeatures: maxFeatures, maxDepth: parameters.maxDepth ?? Int.max,
                                              minSamplesSplit: parameters.minSamplesSplit,
                                              minSamplesLeaf: parameters.minSamplesLeaf, randomSplits: randomSplits,
                                              featuresInIndexOrder: featuresInIndexOrder)
                    if everyFeature { builder.presorted = order }
                    return Parallel.map(parameters.trees, threads: jobs) { t in
                        var generator = Self.generator(seed: parameters.seed, tree: t)
                        var weights = [Double](repeating: parameters.bootstrap ? 0 : 1, count: n)
                        if parameters.bootstrap {
                            for _ in 0..<n { weights[Int.random(in: 0..<n, using: &generator)] += 1 }
                        }
                        return builder.grow(weights: weights, generator: &generator)
                    }
                }
            }
        }
    }

    /// The generator of tree `t`: independent streams for every (seed, t).
    static func generator(seed: UInt64, tree t: Int) -> SeededGenerator {
        var mixer = SeededGenerator(seed: seed ^ (UInt64(t) &* 0xD1B5_4A32_D192_ED03))
        return SeededGenerator(seed: mixer.next())
    }

    /// Mean leaf class fractions over all trees, n × classCount.
    func proba(_ x: Matrix, classCount: Int) -> Matrix {
        precondition(!trees.isEmpty, "fit the forest before predicting")
        precondition(x.columns == columns, "model fitted on \(columns) features, got \(x.columns)")
        var out = Matrix(rows: x.rows, columns: classCount)
        x.values.withUnsafeBufferPointer { v in
            out.values.withUnsafeMutableBufferPointer { o in
                for tree in trees {
                    for i in 0..<x.rows {
                        let leaf = tree.leaf(v, row: i, columns: columns)
                        for c in 0..<classCount { o[i * classCount + c] += tree.value[leaf * classCount + c] }
                    }
                }
                let scale = 1 / Float(trees.count)
                for k in o.indices { o[k] *= scale }
            }
        }
        return out
    }
}

/// The label of the largest entry of each row of `proba` (the first on ties).
func argmaxLabels(_ proba: Matrix, classes: [Int]) -> [Int] {
    (0..<proba.rows).map { i in
        classes[firstMaxIndex(proba.values[(i * proba.columns)..<((i + 1) * proba.columns)])]
    }
}

/// The position of the first largest element, counted from 0 (ties go to the lowest position,
/// which is the lowest label when positions follow the sorted classes).
func firstMaxIndex<C: Collection>(_ values: C) -> Int where C.Element: Comparable {
    var best = 0, bestValue: C.Element?
    for (position, value) in values.enumerated() where bestValue.map({ value > $0 }) ?? true {
        best = position
        bestValue = value
    }
    return best
}
