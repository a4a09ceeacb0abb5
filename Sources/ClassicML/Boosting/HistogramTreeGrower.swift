import LinearAlgebra

/// Grows one regression tree on binned features from per-row gradients and hessians, the way
/// scikit-learn's `TreeGrower` does for histogram gradient boosting: per node, per feature, the
/// sums of gradients, hessians and rows in every bin; the split gain
/// `G_L²/H_L + G_R²/H_R − G²/H` (hessian sums regularised by `l2`); nodes split best first (largest
/// gain) until `maxLeaves`, `maxDepth`, `minSamplesLeaf` or `minHessianToSplit` stop them; a sibling's
/// histogram is its parent's minus the smaller child's. Ties go to the lowest feature, then the
/// lowest bin — or, given a feature seed, to the first feature of a random order drawn afresh at
/// every node, as scikit-learn's `BestSplitter` visits them.
///
/// With unit hessians and no leaf limit it is also the exact greedy regression tree of
/// scikit-learn's `GradientBoostingClassifier` (Friedman's MSE criterion equals this gain), whose
/// thresholds are the midpoints between the neighbouring values present in the node — on
/// features with at most 256 distinct values the bins are those values, so the tree is exact.
struct HistogramTreeGrower {
    /// How nodes may split and where thresholds go.
    struct Rules {
        var maxDepth: Int?
        var maxLeaves: Int?
        var minSamplesLeaf: Int
        var minHessianToSplit: Double
        var l2: Double
        /// HistGradientBoosting: a split needs a positive gain. GradientBoosting: any split of a
        /// node whose gradients vary.
        var requirePositiveGain: Bool
        /// GradientBoosting: thresholds midway between the node's neighbouring values (else the
        /// bin edge, as HistGradientBoosting).
        var midpointThresholds: Bool
    }

    let data: BinnedFeatures
    let rules: Rules
    /// The first bin of every feature in a whole-node histogram.
    private let offsets: [Int]
    /// Nodes with at least this many rows keep a whole-node histogram, so that their children
    /// can be had by one pass over the smaller child's rows and a subtraction; smaller nodes are
    /// cheaper to scan feature by feature from their rows. `Int.max` when a histogram is too large
    /// to keep (wide data).
    private let histogramRows: Int

    init(data: BinnedFeatures, rules: Rules) {
        self.data = data
        self.rules = rules
        var offsets = [0]
        for f in 0..<data.d { offsets.append(offsets[f] + data.binCount(f)) }
        self.offsets = offsets
        // A kept histogram costs 20 bytes a bin, and every node waiting to split keeps one.
        histogramRows = offsets[data.d] <= 1 << 19 ? 2 * offsets[data.d] / max(1, data.d) : Int.max
    }

    /// Per-bin sums over some rows, for every feature (or one feature's scratch).
    private struct Histogram {
        var g: [Double]
        var h: [Double]
        var count: [Int32]
        init(bins: Int) {
            g = [Double](repeating: 0, count: bins)
            h = g
            count = [Int32](repeating: 0, count: bins)
        }
    }

    /// The best split found for a node.
    private struct Candidate {
        var feature: Int
        var bin: Int
        var gain: Double
        var threshold: Double
        var gLeft: Double
        var hLeft: Double
        var countLeft: Int
        /// The next bin present in the node after `bin`.
        var next: Int
    }

    /// A node being grown: its rows are `samples[start..<end]`.
    private struct Node {
        var id: Int
        var start: Int
        var end: Int
        var depth: Int
        var g: Double
        var h: Double
        var split: Candidate?
        var histogram: Histogram?
        var count: Int { end - start }
    }

    /// Reusable buffers of one tree's growth.
    private struct Workspace {
        /// Whole-node histograms no longer in use.
        var pool: [Histogram] = []
        /// One feature's sums, all zero between uses.
        var scratch = Histogram(bins: 256)
        /// The bins present in the node for the feature being scanned.
        var present = [Int](repeating: 0, count: 256)
        /// Which of the 256 bins a feature's rows touched.
        var mask = [UInt64](repeating: 0, count: 4)
        /// The order features are scored in at the current node.
        var order: [Int]
        /// Draws a new `order` per node when set.
        var generator: SeededGenerator?

        init(features: Int, seed: UInt64?) {
            order = Array(0..<features)
            generator = seed.map { SeededGenerator(seed: $0) }
        }

        /// Draws the next node's feature order (a no-op without a seed).
        mutating func shuffle() {
            guard var random = generator else { return }
            order.shuffle(using: &random)
            generator = random
        }
    }

    /// Grows a tree.
    /// - Parameters:
    ///   - gradients: one gradient per training row.
    ///   - hessians: one hessian per training row.
    ///   - featureSeed: when set, ties between features go to the first in a seeded random order
    ///     per node instead of the lowest index (scikit-learn's `random_state`).
    ///   - leafValue: the value of a leaf from its rows and its gradient and hessian sums.
    /// - Returns: the tree and, for every training row, the value of the leaf it falls into.
    func grow(gradients: [Double], hessians: [Double], featureSeed: UInt64? = nil,
              leafValue: (_ rows: ArraySlice<Int32>, _ g: Double, _ h: Double) -> Double) -> (RegressionTree, [Double]) {
        var samples = (0..<data.n).map { Int32($0) }
        var tree = RegressionTree()
        var work = Workspace(features: data.d, seed: featureSeed)
        var root = Node(id: tree.addLeaf(), start: 0, end: data.n, depth: 0,
                        g: gradients.reduce(0, +), h: hessians.reduce(0, +))
        var heap = [Node](), leaves = [Node]()
        if splittable(root, samples, gradients) {
            evaluate(&root, samples, gradients, hessians, from: nil, minus: nil, keep: root.count >= histogramRows, &work)
        }
        // A node that will split keeps its histogram only when it is large enough to pass it on;
        // every other histogram goes back to the pool.
        func settle(_ node: Node) {
            var node = node
            if node.split == nil || node.count < histogramRows, let histogram = node.histogram {
                work.pool.append(histogram)
                node.histogram = nil
            }
            if node.split != nil { heap.append(node) } else { leaves.append(node) }
        }
        settle(root)
        while let best = heap.indices.max(by: { heap[$0].split?.gain ?? 0 < heap[$1].split?.gain ?? 0
                                                || (heap[$0].split?.gain == heap[$1].split?.gain && heap[$0].id > heap[$1].id) }) {
            let node = heap.remove(at: best)
            guard let split = node.split else { continue }
            let middle = partition(&samples, node, split)
            tree.feature[node.id] = Int32(split.feature)
            tree.threshold[node.id] = split.threshold
            var left = Node(id: tree.addLeaf(), start: node.start, end: middle, depth: node.depth + 1,
                            g: split.gLeft, h: split.hLeft)
            var right = Node(id: tree.addLeaf(), start: middle, end: node.end, depth: node.depth + 1,
                             g: node.g - split.gLeft, h: node.h - split.hLeft)
            tree.left[node.id] = Int32(left.id)
            tree.right[node.id] = Int32(right.id)
            let parent = node.histogram
            if let maxLeaves = rules.maxLeaves, leaves.count + heap.count + 2 >= maxLeaves {
                leaves += heap + [left, right]
                heap.removeAll()
                break
            }
            let leftOpen = splittable(left, samples, gradients), rightOpen = splittable(right, samples, gradients)
            if leftOpen || rightOpen {
                // The smaller child from its rows, the larger by subtraction when the parent kept
                // its histogram (the smaller then keeps one too).
                let keep = parent != nil
                if left.count <= right.count {
                    evaluate(&left, samples, gradients, hessians, from: nil, minus: nil, keep: keep, &work, score: leftOpen)
                    evaluate(&right, samples, gradients, hessians, from: parent, minus: left.histogram, keep: keep, &work,
                             score: rightOpen)
                } else {
                    evaluate(&right, samples, gradients, hessians, from: nil, minus: nil, keep: keep, &work, score: rightOpen)
                    evaluate(&left, samples, gradients, hessians, from: parent, minus: right.histogram, keep: keep, &work,
                             score: leftOpen)
                }
            }
            if let parent { work.pool.append(parent) }
            settle(left)
            settle(right)
        }
        var fitted = [Double](repeating: 0, count: data.n)
        for leaf in leaves {
            let rows = samples[leaf.start..<leaf.end]
            let value = leafValue(rows, leaf.g, leaf.h)
            tree.value[leaf.id] = value
            for row in rows { fitted[Int(row)] = value }
        }
        return (tree, fitted)
    }

    /// Whether a node may split at all.
    private func splittable(_ node: Node, _ samples: [Int32], _ gradients: [Double]) -> Bool {
        if let maxDepth = rules.maxDepth, node.depth >= maxDepth { return false }
        guard node.count >= 2 * rules.minSamplesLeaf, node.count >= 2, node.h >= rules.minHessianToSplit else { return false }
        if rules.requirePositiveGain { return true }
        // scikit-learn's trees make a node a leaf when its impurity (the variance of its targets)
        // is at most machine epsilon.
        let mean = node.g / Double(node.count)
        var squares = 0.0
        for k in node.start..<node.end { let r = gradients[Int(samples[k])] - mean; squares += r * r }
        return squares / Double(node.count) > Double.ulpOfOne
    }

    /// Finds a node's best split (when `score`). With `keep` the node gets a whole-node histogram
    /// (kept in `node.histogram`): `parent − sibling` when both are given, else built from its rows;
    /// otherwise it is scanned feature by feature from its rows.
    private func evaluate(_ node: inout Node, _ samples: [Int32], _ gradients: [Double], _ hessians: [Double],
                          from parent: Histogram?, minus sibling: Histogram?, keep: Bool, _ work: inout Workspace,
                          score: Bool = true) {
        let m = node.count
        let rows = samples[node.start..<node.end]
        var rowG = [Double](repeating: 0, count: m), rowH = rowG
        for (k, s) in rows.enumerated() { rowG[k] = gradients[Int(s)]; rowH[k] = hessians[Int(s)] }
        guard keep else {
            if score { node.split = scanRows(node, rows, rowG, rowH, &work) }
            return
        }
        var histogram = work.pool.popLast() ?? Histogram(bins: offsets[data.d])
        if let parent, let sibling {
            for b in histogram.g.indices {
                histogram.g[b] = parent.g[b] - sibling.g[b]
                histogram.h[b] = parent.h[b] - sibling.h[b]
                histogram.count[b] = parent.count[b] - sibling.count[b]
            }
        } else {
            for b in histogram.g.indices { histogram.g[b] = 0; histogram.h[b] = 0; histogram.count[b] = 0 }
            for f in 0..<data.d { accumulate(f, rows, rowG, rowH, into: &histogram, at: offsets[f]) }
        }
        if score {
            var best: Candidate?
            work.shuffle()
            let order = work.order
            histogram.g.withUnsafeBufferPointer { g in
                histogram.h.withUnsafeBufferPointer { h in
                    histogram.count.withUnsafeBufferPointer { c in
                        work.present.withUnsafeMutableBufferPointer { present in
                            for f in order {
                                let base = offsets[f]
                                var count = 0
                                for b in 0..<data.binCount(f) where c[base + b] > 0 { present[count] = b; count += 1 }
                                if let found = scan(f, node, g: g, h: h, c: c, base: base,
                                                    present: UnsafeBufferPointer(rebasing: present[0..<count])),
                                   found.gain > (best?.gain ?? -.infinity) { best = found }
                            }
                        }
                    }
                }
            }
            node.split = best.map { located($0) }
        }
        node.histogram = histogram
    }

    /// The best split of a node scanned feature by feature: each feature's sums built in a small
    /// scratch histogram from the node's rows, scanned over the bins present, and cleared again.
    private func scanRows(_ node: Node, _ rows: ArraySlice<Int32>, _ rowG: [Double], _ rowH: [Double],
                          _ work: inout Workspace) -> Candidate? {
        var best: Candidate?
        work.shuffle()
        let order = work.order
        data.bins.withUnsafeBufferPointer { bins in
            work.scratch.g.withUnsafeMutableBufferPointer { g in
            work.scratch.h.withUnsafeMutableBufferPointer { h in
            work.scratch.count.withUnsafeMutableBufferPointer { c in
            work.present.withUnsafeMutableBufferPointer { present in
            work.mask.withUnsafeMutableBufferPointer { mask in
            rows.withUnsafeBufferPointer { samples in
            rowG.withUnsafeBufferPointer { rowG in
            rowH.withUnsafeBufferPointer { rowH in
                for f in order {
                    let column = f * data.n
                    for k in samples.indices {
                        let b = Int(bins[column + Int(samples[k])])
                        g[b] += rowG[k]; h[b] += rowH[k]; c[b] += 1
                        mask[b >> 6] |= UInt64(1) << UInt64(b & 63)
                    }
                    var count = 0
                    for word in 0..<4 {
                        var bits = mask[word]
                        mask[word] = 0
                        while bits != 0 {
                            present[count] = word * 64 + bits.trailingZeroBitCount
                            count += 1
                            bits &= bits - 1
                        }
                    }
                    let touched = UnsafeBufferPointer(rebasing: present[0..<count])
                    if let found = scan(f, node, g: UnsafeBufferPointer(g), h: UnsafeBufferPointer(h),
                                        c: UnsafeBufferPointer(c), base: 0, present: touched),
                       found.gain > (best?.gain ?? -.infinity) { best = found }
                    for b in touched { g[b] = 0; h[b] = 0; c[b] = 0 }
                }
            }
            }
            }
            }
            }
            }
            }
            }
        }
        return best.map { located($0) }
    }

    /// Adds the rows' gradients, hessians and counts of feature `f` into `histogram` from `base`.
    private func accumulate(_ f: Int, _ rows: ArraySlice<Int32>, _ rowG: [Double], _ rowH: [Double],
                            into histogram: inout Histogram, at base: Int) {
        data.bins.withUnsafeBufferPointer { bins in
            histogram.g.withUnsafeMutableBufferPointer { g in
                histogram.h.withUnsafeMutableBufferPointer { h in
                    histogram.count.withUnsafeMutableBufferPointer { c in
                        let column = f * data.n
                        var k = 0
                        for s in rows {
                            let b = base + Int(bins[column + Int(s)])
                            g[b] += rowG[k]; h[b] += rowH[k]; c[b] += 1
                            k += 1
                        }
                    }
                }
            }
        }
    }

    /// The best split of feature `f` from its bins at `base` of the sums `g`, `h`, `c`, scanning
    /// the bins present in the node (`present`, ascending) left to right as scikit-learn (an empty
    /// bin makes the same split as the one before it): the first bin of largest gain wins. The
    /// threshold is left for `located`.
    private func scan(_ f: Int, _ node: Node, g: UnsafeBufferPointer<Double>, h: UnsafeBufferPointer<Double>,
                      c: UnsafeBufferPointer<Int32>, base: Int, present: UnsafeBufferPointer<Int>) -> Candidate? {
        guard present.count > 1 else { return nil }
        let total = node.count, l2 = rules.l2, minLeaf = rules.minSamplesLeaf, minHessian = rules.minHessianToSplit
        let parentTerm = node.g * node.g / (node.h + l2 + 1e-15)
        var gLeft = 0.0, hLeft = 0.0, countLeft = 0
        var best: Candidate?
        var bestGain = rules.requirePositiveGain ? 0.0 : -Double.infinity
        for index in 0..<(present.count - 1) {
            let b = present[index]
            countLeft += Int(c[base + b])
            gLeft += g[base + b]
            hLeft += h[base + b]
            guard countLeft >= minLeaf else { continue }
            if total - countLeft < minLeaf { break }
            let hRight = node.h - hLeft
            guard hLeft >= minHessian else { continue }
            if hRight < minHessian { break }
            let gRight = node.g - gLeft
            let gain = gLeft * gLeft / (hLeft + l2 + 1e-15) + gRight * gRight / (hRight + l2 + 1e-15) - parentTerm
            if gain > bestGain {
                bestGain = gain
                best = Candidate(feature: f, bin: b, gain: gain, threshold: 0, gLeft: gLeft, hLeft: hLeft,
                                 countLeft: countLeft, next: present[index + 1])
            }
        }
        return best
    }

    /// The candidate with its threshold: the bin's upper edge, or (midpoint rule, exact bins)
    /// halfway between its value and the next value present in the node.
    private func located(_ candidate: Candidate) -> Candidate {
        var located = candidate
        let f = candidate.feature
        located.threshold = data.edges[f][candidate.bin]
        if rules.midpointThresholds, let values = data.values[f] {
            let low = values[candidate.bin], high = values[candidate.next]
            let middle = low / 2 + high / 2
            located.threshold = middle == high || !middle.isFinite ? low : middle
        }
        return located
    }

    /// Moves the node's rows that go left to the front of its range (keeping their order) and
    /// returns where the right ones start.
    private func partition(_ samples: inout [Int32], _ node: Node, _ split: Candidate) -> Int {
        let column = split.feature * data.n
        var right = [Int32]()
        var write = node.start
        for k in node.start..<node.end {
            let s = samples[k]
            if Int(data.bins[column + Int(s)]) <= split.bin { samples[write] = s; write += 1 } else { right.append(s) }
        }
        for (k, s) in right.enumerated() { samples[write + k] = s }
        return write
    }
}
