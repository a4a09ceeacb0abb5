import LinearAlgebra

extension PlainSGD {
    /// Fits one binary problem per class (one in all for two classes) in parallel, each with
    /// its own seed, on the Cholesky factor of the Gram matrix when there are more features than
    /// samples (see `RowSpaceReduction`).
    /// - Parameters:
    ///   - x: n × d validated training rows.
    ///   - y: labels.
    ///   - classes: the distinct labels, ascending.
    ///   - seed: the base seed; problem k uses `seed + k`.
    /// - Returns: the learned state and the most epochs any problem ran.
    func fitOneVsRest(_ x: Matrix, _ y: [Int], classes: [Int], seed: UInt64) -> (LinearState, epochs: Int) {
        let classIndex = LinearState.classIndices(y, classes: classes)
        let scoreCount = LinearState.scoreCount(classCount: classes.count)
        let reduction = RowSpaceReduction(x)
        let features = reduction?.features ?? x
        let norms = VectorKernels.rowSquaredNorms(features)
        let solutions = Parallel.map(scoreCount) { k in
            solve(features, squaredNorms: norms,
                  y: LinearState.signedTargets(classIndex, score: k, scoreCount: scoreCount),
                  seed: seed &+ UInt64(k))
        }
        var weights = Matrix(rows: scoreCount, columns: features.columns,
                             values: solutions.flatMap(\.weights))
        if let reduction { weights = reduction.lift(weights, through: x).weights }
        let state = LinearState(classes: classes, weights: PackedMatrix(weights),
                                intercepts: solutions.map(\.intercept))
        return (state, solutions.map(\.epochs).max() ?? 0)
    }
}
