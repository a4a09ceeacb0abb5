import LinearAlgebra

/// k-nearest-neighbour vote, brute force like scikit-learn's `KNeighborsClassifier` in high
/// dimension, with identical predictions.
///
/// Distances to a block of queries come from one `sgemm` (`‖a‖² + ‖b‖² − 2a·b`), so memory stays
/// at `blockRows × n` floats. Float32 rounding can reorder near-equal distances, so every
/// training row whose approximate distance lies within a small band of the k-th smallest is
/// re-measured exactly in `Double`, and the k nearest are taken by (distance, training row) —
/// the lowest row wins an exact tie, as in scikit-learn. Vote ties go to the lowest label.
public struct KNeighborsClassifier: ProbabilisticClassifier, Codable, Equatable {
    /// How neighbours' votes are weighted.
    public enum Weights: String, Codable, Sendable {
        /// Every neighbour counts once.
        case uniform
        /// A neighbour counts `1 / distance`; neighbours at distance 0 take the whole vote.
        case distance
    }

    /// How distance is measured.
    public enum Metric: String, Codable, Sendable {
        /// `‖a − b‖`.
        case euclidean
        /// `1 − a·b / (‖a‖·‖b‖)`; a zero vector is treated as having norm 1.
        case cosine
    }

    /// The number of neighbours that vote (scikit-learn's `n_neighbors`, default 5).
    public let neighbors: Int
    /// The vote weighting.
    public let weights: Weights
    /// The distance.
    public let metric: Metric
    /// Query rows handled per `sgemm` block; memory is `blockRows × n_train` floats.
    public let blockRows: Int
    public private(set) var classes: [Int] = []
    var train = PackedMatrix()
    var trainClass: [Int] = []

    public var name: String { ClassifierSpec.kNeighbors(k: neighbors, weights: weights, metric: metric).description }

    /// A classifier with scikit-learn's defaults unless given.
    /// - Parameters:
    ///   - neighbors: k, at least 1 (default 5).
    ///   - weights: `.uniform` (default) or `.distance`.
    ///   - metric: `.euclidean` (default) or `.cosine`.
    ///   - blockRows: queries per distance block (default 256).
    public init(neighbors: Int = 5, weights: Weights = .uniform, metric: Metric = .euclidean,
                blockRows: Int = 256) {
        self.neighbors = neighbors
        self.weights = weights
        self.metric = metric
        self.blockRows = max(1, blockRows)
    }

    /// Stores the training set.
    /// - Throws: `ClassicMLError` for invalid input, `.invalidParameter` for k < 1 or k > n.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        let classes = try InputValidation.training(x, y)
        guard neighbors >= 1, neighbors <= x.rows else {
            throw ClassicMLError.invalidParameter(
                "k = \(neighbors) neighbours but \(x.rows) training rows; choose 1 ≤ k ≤ \(x.rows)")
        }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        self.classes = classes
        trainClass = y.map { index[$0] ?? 0 }
        train = PackedMatrix(x)
    }

    public func predict(_ x: Matrix) -> [Int] {
        voteShares(x).map { classes[firstMaxIndex($0)] }
    }

    /// Class probabilities: each class's share of the (weighted) neighbour vote.
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predictProba(_ x: Matrix) -> Matrix {
        Matrix(rows: x.rows, columns: classes.count, values: voteShares(x).flatMap { $0.map(Float.init) })
    }

    /// Per query, each class's share of the neighbour vote, in `Double` so that `predict`
    /// breaks no tie that scikit-learn's float64 arithmetic does not.
    private func voteShares(_ x: Matrix) -> [[Double]] {
        let found = kNeighbors(x)
        return zip(found.distances, found.indices).map { dist, rows in
            var votes = [Double](repeating: 0, count: classes.count)
            let zero = dist.contains(0)
            for (d, row) in zip(dist, rows) {
                let w: Double
                switch weights {
                case .uniform: w = 1
                case .distance: w = zero ? (d == 0 ? 1 : 0) : 1 / d
                }
                votes[trainClass[row]] += w
            }
            let total = votes.reduce(0, +)
            return votes.map { $0 / total }
        }
    }

    /// The k nearest training rows of every query, nearest first.
    /// - Parameter x: queries with the training width.
    /// - Returns: per query, the distances (in `Double`) and training row indices.
    /// - Precondition: the model is fitted and `x` has the training width.
    public func kNeighbors(_ x: Matrix) -> (distances: [[Double]], indices: [[Int]]) {
        let t = train.matrix
        precondition(t.rows > 0, "fit the classifier before predicting")
        precondition(x.columns == t.columns, "model fitted on \(t.columns) features, got \(x.columns)")
        let d = t.columns, n = t.rows
        let trainNorms = squaredNorms(t)
        let maxNorm = trainNorms.max() ?? 0
        var distances = [[Double]](), indices = [[Int]]()
        distances.reserveCapacity(x.rows)
        indices.reserveCapacity(x.rows)
        var products = [Float](repeating: 0, count: min(blockRows, max(1, x.rows)) * n)
        var approx = [Float](repeating: 0, count: n)
        var start = 0
        while start < x.rows {
            let count = min(blockRows, x.rows - start)
            x.values.withUnsafeBufferPointer { q in
                t.values.withUnsafeBufferPointer { tv in
                    products.withUnsafeMutableBufferPointer { p in
                        guard let qa = q.baseAddress, let ta = tv.baseAddress, let pa = p.baseAddress else { return }
                        BLAS.gemm(transposeB: true, m: count, n: n, k: d,
                                  a: qa + start * d, lda: d, b: ta, ldb: d, c: pa, ldc: n)
                    }
                }
            }
            for r in 0..<count {
                let qi = start + r
                let qNorm = squaredNorm(x, row: qi)
                let band: Float
                switch metric {
                case .euclidean:
                    for j in 0..<n { approx[j] = qNorm + trainNorms[j] - 2 * products[r * n + j] }
                    band = 1e-4 * (qNorm + maxNorm) + Float.leastNormalMagnitude
                case .cosine:
                    let qLength = qNorm > 0 ? qNorm.squareRoot() : 1
                    for j in 0..<n {
                        let tLength = trainNorms[j] > 0 ? trainNorms[j].squareRoot() : 1
                        approx[j] = 1 - products[r * n + j] / (qLength * tLength)
                    }
                    band = 1e-4
                }
                let cutoff = kthSmallest(approx, neighbors) + band
                var candidates = [(distance: Double, row: Int)]()
                for j in 0..<n where approx[j] <= cutoff {
                    candidates.append((exactDistance(x, qi, t, j), j))
                }
                candidates.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.row < $1.row) }
                let nearest = candidates.prefix(neighbors)
                distances.append(nearest.map(\.distance))
                indices.append(nearest.map(\.row))
            }
            start += count
        }
        return (distances, indices)
    }

    /// Checks the loaded state: k between 1 and the number of training rows, a positive block
    /// size, one class index (in range) per bounded, finite training row.
    /// - Throws: `ClassicMLError.modelFile` naming the problem.
    public func validateLoaded() throws {
        let kind = Self.kind, t = train.matrix
        try LoadedModelCheck.classes(classes, kind: kind)
        try LoadedModelCheck.matrix(t, rows: nil, columns: nil, "\(kind) training rows")
        try LoadedModelCheck.require(neighbors >= 1 && neighbors <= t.rows,
                                     "\(kind) has k = \(neighbors) for \(t.rows) training rows; k must be between 1 and \(t.rows)")
        try LoadedModelCheck.require(blockRows >= 1, "\(kind) has blockRows = \(blockRows), it must be at least 1")
        try LoadedModelCheck.require(trainClass.count == t.rows,
                                     "\(kind) has \(trainClass.count) training labels for \(t.rows) training rows")
        if let bad = trainClass.firstIndex(where: { !classes.indices.contains($0) }) {
            throw ClassicMLError.modelFile(
                "\(kind) training row \(bad) has class index \(trainClass[bad]), outside 0..<\(classes.count)")
        }
    }

    /// The number of features of the training rows (nil before `fit`).
    public var featureCount: Int? { train.matrix.rows > 0 ? train.matrix.columns : nil }

    /// The distance between query row `qi` of `x` and training row `tj` of `t`, in `Double`.
    private func exactDistance(_ x: Matrix, _ qi: Int, _ t: Matrix, _ tj: Int) -> Double {
        let d = x.columns
        return x.values.withUnsafeBufferPointer { q in
            t.values.withUnsafeBufferPointer { tv in
                let a = q.baseAddress.map { $0 + qi * d }, b = tv.baseAddress.map { $0 + tj * d }
                guard let a, let b else { return 0 }
                switch metric {
                case .euclidean:
                    var sum: Double = 0
                    for c in 0..<d { let diff = Double(a[c]) - Double(b[c]); sum += diff * diff }
                    return sum.squareRoot()
                case .cosine:
                    var dot: Double = 0, aa: Double = 0, bb: Double = 0
                    for c in 0..<d {
                        let u = Double(a[c]), v = Double(b[c])
                        dot += u * v; aa += u * u; bb += v * v
                    }
                    let lengths = (aa > 0 ? aa.squareRoot() : 1) * (bb > 0 ? bb.squareRoot() : 1)
                    return max(0, min(2, 1 - dot / lengths))
                }
            }
        }
    }
}

/// The squared norm of every row of `m`.
func squaredNorms(_ m: Matrix) -> [Float] {
    (0..<m.rows).map { squaredNorm(m, row: $0) }
}

/// The squared norm of row `i` of `m`.
func squaredNorm(_ m: Matrix, row i: Int) -> Float {
    m.values.withUnsafeBufferPointer { v in
        var sum: Float = 0
        for c in (i * m.columns)..<((i + 1) * m.columns) { sum += v[c] * v[c] }
        return sum
    }
}

/// The k-th smallest value of `values` (1-based k).
func kthSmallest(_ values: [Float], _ k: Int) -> Float {
    // A max-heap of the k smallest so far; O(n log k).
    var heap = [Float]()
    heap.reserveCapacity(k)
    for v in values {
        if heap.count < k {
            heap.append(v)
            var i = heap.count - 1
            while i > 0, heap[(i - 1) / 2] < heap[i] { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
        } else if v < heap[0] {
            heap[0] = v
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var top = i
                if l < k, heap[l] > heap[top] { top = l }
                if r < k, heap[r] > heap[top] { top = r }
                if top == i { break }
                heap.swapAt(i, top)
                i = top
            }
        }
    }
    return heap[0]
}
