import LinearAlgebra

/// Grows one gini tree on training data in either order, as scikit-learn's `BestSplitter`
/// (sort each candidate feature, scan every threshold) or `RandomSplitter` (one uniform threshold
/// between the node's min and max per candidate feature). Candidate features are drawn without
/// replacement until `maxFeatures` non-constant ones have been evaluated, as scikit-learn does —
/// or, with `featuresInIndexOrder` when every feature is a candidate, visited in index order, so
/// the lowest feature wins a tie and the tree needs no random numbers.
///
/// When every feature is a candidate at every node (a single decision tree, bagging, stumps), the
/// builder can take `presorted`, every feature's samples in ascending order once for the whole
/// fit: each node then keeps each feature's samples in order by stable partitions instead of
/// sorting them again (O(m) instead of O(m log m) per feature and node), with identical results.
///
/// The builder only reads `columns`, `labels` and `presorted`; all mutable state lives in each
/// call's own scratch buffers, so one builder grows several trees at once.
struct TreeBuilder {
    /// Feature `f` of sample `i` is `data[f * featureStride + i * sampleStride]`.
    let data: UnsafeBufferPointer<Float>
    let n: Int
    let d: Int
    /// Distance between consecutive features of a sample (1 when `data` is row-major, `n` when
    /// column-major).
    let featureStride: Int
    /// Distance between consecutive samples of a feature (`d` when row-major, 1 when column-major).
    let sampleStride: Int
    /// Class index of every sample.
    let labels: UnsafeBufferPointer<Int32>
    let classCount: Int
    let maxFeatures: Int
    let maxDepth: Int
    let minSamplesSplit: Int
    let minSamplesLeaf: Int
    let randomSplits: Bool
    /// Visit the features in index order instead of drawing them (used when `maxFeatures ≥ d`).
    let featuresInIndexOrder: Bool
    /// Every feature's samples sorted by (value, index), `presorted[f * n ..< (f + 1) * n]`, or nil
    /// to sort at every node. Used only for best splits over every feature.
    var presorted: UnsafeBufferPointer<Int32>? = nil

    /// scikit-learn's tolerance below which two feature values count as equal.
    private static let featureThreshold: Float = 1e-7

    /// Mutable state of one tree's growth: buffers allocated once per tree (unchecked access
    /// in the hot loops) and the tree being built.
    private struct Scratch {
        let samples: UnsafeMutableBufferPointer<Int32>
        let weights: UnsafeMutableBufferPointer<Double>
        let keys: UnsafeMutableBufferPointer<UInt64>
        let values: UnsafeMutableBufferPointer<Float>
        let features: UnsafeMutableBufferPointer<Int>
        let left: UnsafeMutableBufferPointer<Double>
        let right: UnsafeMutableBufferPointer<Double>
        /// With `presorted`: every feature's kept samples of each node in ascending order,
        /// `order[f * kept + k]`, the node's range the same for every feature.
        let order: UnsafeMutableBufferPointer<Int32>
        /// Which samples of the node being split go left (indexed by sample).
        let goesLeft: UnsafeMutableBufferPointer<Bool>
        /// Room for one feature's right-hand samples while partitioning `order`.
        let spare: UnsafeMutableBufferPointer<Int32>
        var tree = DecisionTree()
    }

    /// Whether nodes use the presorted orders.
    private var usesOrder: Bool { presorted != nil && !randomSplits && maxFeatures >= d }

    /// Every feature's samples sorted by (value, index), for `presorted`.
    /// - Parameters:
    ///   - columns: column-major values, `columns[f * n + i]`.
    ///   - n: samples.
    ///   - d: features.
    /// - Returns: d × n sample indices.
    static func presort(_ columns: UnsafeBufferPointer<Float>, n: Int, d: Int) -> [Int32] {
        var order = [Int32](repeating: 0, count: n * d)
        order.withUnsafeMutableBufferPointer { out in
            Parallel.forEachRange(d) { _, features in
                var keys = [UInt64](repeating: 0, count: n)
                for f in features {
                    for i in 0..<n { keys[i] = UInt64(orderKey(columns[f * n + i])) << 32 | UInt64(i) }
                    keys.sort()
                    for i in 0..<n { out[f * n + i] = Int32(truncatingIfNeeded: keys[i]) }
                }
            }
        }
        return order
    }

    /// Grows a tree on the samples with non-zero `weights` (bootstrap counts, or all ones).
    func grow(weights: [Double], generator: inout SeededGenerator) -> DecisionTree {
        let kept = (0..<n).filter { weights[$0] > 0 }.map { Int32($0) }
        func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
            _ = b.initialize(from: values)
            return b
        }
        var order = [Int32]()
        if usesOrder, let presorted {
            order.reserveCapacity(d * kept.count)
            for k in 0..<(n * d) where weights[Int(presorted[k])] > 0 { order.append(presorted[k]) }
        }
        var s = Scratch(samples: buffer(kept), weights: buffer(weights),
                        keys: buffer([UInt64](repeating: 0, count: kept.count)),
                        values: buffer([Float](repeating: 0, count: kept.count)), features: buffer(Array(0..<d)),
                        left: buffer([Double](repeating: 0, count: classCount)),
                        right: buffer([Double](repeating: 0, count: classCount)), order: buffer(order),
                        goesLeft: buffer([Bool](repeating: false, count: usesOrder ? n : 0)),
                        spare: buffer([Int32](repeating: 0, count: usesOrder ? kept.count : 0)))
        defer {
            s.samples.deallocate(); s.weights.deallocate(); s.keys.deallocate(); s.values.deallocate()
            s.features.deallocate(); s.left.deallocate(); s.right.deallocate(); s.order.deallocate()
            s.goesLeft.deallocate(); s.spare.deallocate()
        }
        _ = node(start: 0, end: kept.count, depth: 0, &s, &generator)
        return s.tree
    }

    /// Grows the subtree over `samples[start..<end]`; returns its node index.
    private func node(start: Int, end: Int, depth: Int, _ s: inout Scratch,
                      _ generator: inout SeededGenerator) -> Int {
        var counts = [Double](repeating: 0, count: classCount)
        for k in start..<end { counts[Int(labels[Int(s.samples[k])])] += s.weights[Int(s.samples[k])] }
        let total = counts.reduce(0, +)
        let id = s.tree.feature.count
        s.tree.feature.append(-1)
        s.tree.threshold.append(0)
        s.tree.left.append(-1)
        s.tree.right.append(-1)
        s.tree.value.append(contentsOf: counts.map { Float($0 / total) })

        let m = end - start
        let pure = counts.filter { $0 > 0 }.count <= 1
        guard !pure, depth < maxDepth, m >= minSamplesSplit, m >= 2 * minSamplesLeaf,
              let split = bestSplit(start: start, end: end, parentCounts: counts, &s, &generator)
        else { return id }

        // Partition samples[start..<end]: left side first.
        var i = start, j = end - 1
        let base = split.feature * featureStride
        while i <= j {
            if data[base + Int(s.samples[i]) * sampleStride] <= split.threshold { i += 1 } else { s.samples.swapAt(i, j); j -= 1 }
        }
        if usesOrder { partitionOrder(start: start, middle: i, end: end, &s) }
        s.tree.feature[id] = Int32(split.feature)
        s.tree.threshold[id] = split.threshold
        let l = node(start: start, end: i, depth: depth + 1, &s, &generator)
        let r = node(start: i, end: end, depth: depth + 1, &s, &generator)
        s.tree.left[id] = Int32(l)
        s.tree.right[id] = Int32(r)
        return id
    }

    /// Splits every feature's order of the node, `order[f * kept + start ..< f * kept + end]`, into
    /// the samples now at `samples[start..<middle]` (left) and the rest, keeping each side's order.
    private func partitionOrder(start: Int, middle: Int, end: Int, _ s: inout Scratch) {
        for k in start..<middle { s.goesLeft[Int(s.samples[k])] = true }
        for k in middle..<end { s.goesLeft[Int(s.samples[k])] = false }
        let kept = s.samples.count
        for f in 0..<d {
            var write = f * kept + start, spilled = 0
            for k in (f * kept + start)..<(f * kept + end) {
                let sample = s.order[k]
                if s.goesLeft[Int(sample)] { s.order[write] = sample; write += 1 } else { s.spare[spilled] = sample; spilled += 1 }
            }
            for k in 0..<spilled { s.order[write + k] = s.spare[k] }
        }
    }

    /// The best (feature, threshold) over randomly drawn candidate features, or nil.
    private func bestSplit(start: Int, end: Int, parentCounts: [Double], _ s: inout Scratch,
                           _ generator: inout SeededGenerator) -> (feature: Int, threshold: Float)? {
        var best: (feature: Int, threshold: Float)?
        var bestScore = -Double.infinity
        var visited = 0, remaining = d
        let inIndexOrder = featuresInIndexOrder && maxFeatures >= d
        while remaining > 0, visited < maxFeatures {
            let f: Int
            if inIndexOrder {
                f = d - remaining
                remaining -= 1
            } else {
                let pick = Int.random(in: 0..<remaining, using: &generator)
                remaining -= 1
                s.features.swapAt(pick, remaining)
                f = s.features[remaining]
            }
            let found = randomSplits
                ? randomThreshold(f, start, end, parentCounts, &s, &generator)
                : bestThreshold(f, start, end, parentCounts, &s)
            guard let found else { continue }  // constant in this node: does not count
            visited += 1
            if let score = found.score, score > bestScore {
                bestScore = score
                best = (f, found.threshold)
            }
        }
        return best
    }

    /// Best threshold of feature `f` by sorting and scanning the gini proxy
    /// `Σ left_c² / wL + Σ right_c² / wR` (larger is better); nil when constant, score nil when no split
    /// respects `minSamplesLeaf`.
    private func bestThreshold(_ f: Int, _ start: Int, _ end: Int, _ parentCounts: [Double],
                               _ s: inout Scratch) -> (threshold: Float, score: Double?)? {
        let m = end - start, base = f * featureStride
        if usesOrder {
            let row = f * s.samples.count + start
            for k in 0..<m {
                let sample = s.order[row + k]
                s.keys[k] = UInt64(Self.orderKey(data[base + Int(sample) * sampleStride])) << 32 | UInt64(UInt32(sample))
            }
        } else {
            for k in 0..<m {
                let sample = s.samples[start + k]
                s.keys[k] = UInt64(Self.orderKey(data[base + Int(sample) * sampleStride])) << 32 | UInt64(UInt32(sample))
            }
            var head = UnsafeMutableBufferPointer(rebasing: s.keys[0..<m])
            head.sort()
        }
        let lowest = value(s.keys[0]), highest = value(s.keys[m - 1])
        guard highest > lowest + Self.featureThreshold else { return nil }
        for c in 0..<classCount { s.left[c] = 0; s.right[c] = parentCounts[c] }
        var wl: Double = 0, wr = parentCounts.reduce(0, +)
        // Σ left_c² and Σ right_c², updated in O(1) per moved sample.
        var squaresLeft: Double = 0, squaresRight = parentCounts.reduce(0) { $0 + $1 * $1 }
        var bestScore: Double?, bestThreshold: Float = 0
        var current = lowest
        for k in 0..<(m - 1) {
            let sample = Int(UInt32(truncatingIfNeeded: s.keys[k]))
            let w = s.weights[sample], c = Int(labels[sample])
            squaresLeft += w * (2 * s.left[c] + w)
            squaresRight -= w * (2 * s.right[c] - w)
            s.left[c] += w; s.right[c] -= w; wl += w; wr -= w
            let next = value(s.keys[k + 1])
            defer { current = next }
            guard next > current + Self.featureThreshold,
                  k + 1 >= minSamplesLeaf, m - k - 1 >= minSamplesLeaf else { continue }
            let score = squaresLeft / wl + squaresRight / wr
            if bestScore.map({ score > $0 }) ?? true {
                bestScore = score
                var t = current / 2 + next / 2
                if t == next || !t.isFinite { t = current }
                bestThreshold = t
            }
        }
        return (bestThreshold, bestScore)
    }

    /// One uniform threshold between the node's min and max of feature `f`; nil when constant.
    private func randomThreshold(_ f: Int, _ start: Int, _ end: Int, _ parentCounts: [Double],
                                 _ s: inout Scratch, _ generator: inout SeededGenerator)
        -> (threshold: Float, score: Double?)? {
        let base = f * featureStride, m = end - start
        // Gather first: independent loads overlap their cache misses; the rest runs on a
        // contiguous buffer.
        for k in 0..<m { s.values[k] = data[base + Int(s.samples[start + k]) * sampleStride] }
        // Four running minima and maxima in selects (not `min`/`max`, whose NaN rules keep the
        // loop scalar); the values are finite, validated on input.
        var lows = SIMD4<Float>(repeating: .infinity), highs = SIMD4<Float>(repeating: -.infinity)
        var k = 0
        while k + 4 <= m {
            let v = SIMD4(s.values[k], s.values[k + 1], s.values[k + 2], s.values[k + 3])
            lows.replace(with: v, where: v .< lows)
            highs.replace(with: v, where: v .> highs)
            k += 4
        }
        var lowest = lows.min(), highest = highs.max()
        while k < m { lowest = Swift.min(lowest, s.values[k]); highest = Swift.max(highest, s.values[k]); k += 1 }
        guard highest > lowest + Self.featureThreshold else { return nil }
        var t = Float(Double.random(in: Double(lowest)..<Double(highest), using: &generator))
        if t >= highest { t = lowest }
        // Only the left side is counted, without branches (a random threshold sends samples either
        // way unpredictably); the right side is the parent's counts minus the left's, as
        // scikit-learn's criterion does.
        for c in 0..<classCount { s.left[c] = 0 }
        var nl = 0
        for k in 0..<m {
            let sample = Int(s.samples[start + k]), left = s.values[k] <= t
            s.left[Int(labels[sample])] += left ? s.weights[sample] : 0
            nl += left ? 1 : 0
        }
        guard nl >= minSamplesLeaf, m - nl >= minSamplesLeaf else { return (t, nil) }
        var l: Double = 0, r: Double = 0, wl: Double = 0, wr: Double = 0
        for c in 0..<classCount {
            let right = parentCounts[c] - s.left[c]
            l += s.left[c] * s.left[c]; r += right * right; wl += s.left[c]; wr += right
        }
        return (t, l / wl + r / wr)
    }

    /// A key whose unsigned order is the float order.
    @inline(__always)
    private static func orderKey(_ v: Float) -> UInt32 {
        let bits = v.bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// The float back from a sort key's upper half.
    @inline(__always)
    private func value(_ key: UInt64) -> Float {
        let bits = UInt32(key >> 32)
        return Float(bitPattern: bits & 0x8000_0000 != 0 ? bits & 0x7FFF_FFFF : ~bits)
    }
}
