/// `validateLoaded()` of the classifiers that predate it: each checks what its `predict` reads.
extension LogisticRegression {
    /// Checks the decoded weights and intercepts.
    public func validateLoaded() throws { try validateLinearState() }
}

extension LinearSVC {
    /// Checks the decoded weights and intercepts.
    public func validateLoaded() throws { try validateLinearState() }
}

extension SGDClassifier {
    /// Checks the decoded weights and intercepts.
    public func validateLoaded() throws { try validateLinearState() }
}

extension PassiveAggressiveClassifier {
    /// Checks the decoded weights and intercepts.
    public func validateLoaded() throws { try validateLinearState() }
}

extension RidgeClassifier {
    /// Checks the decoded weights and intercepts.
    public func validateLoaded() throws { try validateLinearState() }
}

extension LogisticRegressionCV {
    /// Checks the decoded grid and the refitted model.
    public func validateLoaded() throws {
        guard let model else { throw ClassicMLError.modelFile("the stored LogisticRegressionCV holds no fitted model; the file is damaged") }
        try LoadCheck.require(!cs.isEmpty && cs.allSatisfy { $0 > 0 && $0.isFinite } && folds >= 2,
                              "the stored grid of C or the fold count is invalid")
        try model.validateLoaded()
    }
}

extension KNeighborsClassifier {
    /// Checks the decoded training rows, their classes, k and the block size.
    public func validateLoaded() throws {
        try LoadCheck.classes(classes)
        let rows = train.matrix
        try LoadCheck.require(rows.rows >= 1 && rows.columns >= 1, "the stored training set is empty")
        try LoadCheck.finite(rows.values, "the stored training rows")
        try LoadCheck.require(trainClass.count == rows.rows && trainClass.allSatisfy { (0..<classes.count).contains($0) },
                              "the stored training classes do not match the \(rows.rows) rows and \(classes.count) classes")
        try LoadCheck.require(neighbors >= 1 && neighbors <= rows.rows, "k = \(neighbors) is outside 1…\(rows.rows)")
        try LoadCheck.require(blockRows >= 1, "the stored block size is \(blockRows)")
    }
}

extension NearestCentroid {
    /// Checks the decoded class means.
    public func validateLoaded() throws {
        try LoadCheck.classes(classes)
        let means = centroids.matrix
        try LoadCheck.require(means.columns >= 1, "the stored centroids have no features")
        try LoadCheck.matrix(means, rows: classes.count, columns: means.columns, "the centroids")
    }
}
