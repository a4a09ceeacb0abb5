import LinearAlgebra

/// The nearest-centroid baseline (scikit-learn's `NearestCentroid`): each class is its mean
/// vector and a sample takes the class of the nearest mean (Euclidean; ties to the lowest label).
public struct NearestCentroid: Classifier, Codable, Equatable {
    public private(set) var classes: [Int] = []
    /// The class means, packed for the model file.
    private var packedCentroids = PackedMatrix()

    /// One row per class (in `classes` order): the class means, after `fit`.
    public var centroids: Matrix { packedCentroids.matrix }

    private enum CodingKeys: String, CodingKey {
        case classes, packedCentroids = "centroids"
    }

    public var name: String { ClassifierSpec.nearestCentroid.description }

    /// An unfitted classifier.
    public init() {}

    /// Learns the class means.
    /// - Throws: `ClassicMLError` for invalid input.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        let classes = try InputValidation.training(x, y)
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let d = x.columns
        var sums = [Double](repeating: 0, count: classes.count * d)
        var counts = [Int](repeating: 0, count: classes.count)
        x.values.withUnsafeBufferPointer { v in
            for (i, label) in y.enumerated() {
                let c = index[label] ?? 0
                counts[c] += 1
                for j in 0..<d { sums[c * d + j] += Double(v[i * d + j]) }
            }
        }
        var means = Matrix(rows: classes.count, columns: d)
        for c in classes.indices { for j in 0..<d { means[c, j] = Float(sums[c * d + j] / Double(counts[c])) } }
        self.classes = classes
        packedCentroids = PackedMatrix(means)
    }

    /// Checks the loaded state: one bounded, finite centroid per class.
    /// - Throws: `ClassicMLError.modelFile` naming the problem.
    public func validateLoaded() throws {
        try LoadedModelCheck.classes(classes, kind: "NearestCentroid")
        try LoadedModelCheck.matrix(packedCentroids.matrix, rows: classes.count, columns: nil, "NearestCentroid centroids")
    }

    /// The number of features of the centroids (nil before `fit`).
    public var featureCount: Int? { packedCentroids.matrix.rows > 0 ? packedCentroids.matrix.columns : nil }

    /// - Precondition: the model is fitted and `x` has the training width.
    public func predict(_ x: Matrix) -> [Int] {
        let means = packedCentroids.matrix
        precondition(means.rows > 0, "fit the classifier before predicting")
        precondition(x.columns == means.columns, "model fitted on \(means.columns) features, got \(x.columns)")
        let d = x.columns
        return x.values.withUnsafeBufferPointer { v in
            means.values.withUnsafeBufferPointer { m in
                (0..<x.rows).map { i in
                    var best = 0, bestDistance = Double.infinity
                    for c in classes.indices {
                        var sum: Double = 0
                        for j in 0..<d { let diff = Double(v[i * d + j]) - Double(m[c * d + j]); sum += diff * diff }
                        if sum < bestDistance { bestDistance = sum; best = c }
                    }
                    return classes[best]
                }
            }
        }
    }
}
