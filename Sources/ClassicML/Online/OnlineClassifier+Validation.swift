extension OnlineClassifier.State {
    /// Checks a state before learning continues from it: a known format version, a scaler and a
    /// classifier of one width (that of the feature names, when recorded), as many scaler rows
    /// as rows seen, finite non-negative learning settings, and bounded statistics, weights and
    /// intercepts: magnitudes at most `LoadedModelCheck.magnitudeLimit` (1e15), variances 0 or
    /// between its inverse square and its square — beyond those, scaling a real row and taking
    /// its dot product with the weights would overflow, so predictions would not be finite.
    /// - Throws: `ClassicMLError.modelFile` naming the problem.
    public func validate() throws {
        let width = classifier.featureCount
        try LoadedModelCheck.require(version == 1, "online model format version \(version); this spotcheck reads version 1")
        try LoadedModelCheck.require(width >= 1, "the classifier has \(width) features")
        try LoadedModelCheck.require(scaler.means.count == width && scaler.variances.count == width,
                                     "the scaler has \(scaler.means.count) means and \(scaler.variances.count) variances, the classifier \(width) features")
        if let featureNames {
            try LoadedModelCheck.require(featureNames.count == width,
                                         "\(featureNames.count) feature names for \(width) features")
        }
        try LoadedModelCheck.require(rowsSeen >= 0 && scaler.count == rowsSeen,
                                     "the scaler has seen \(scaler.count) rows, the model \(rowsSeen)")
        let limit = Double(LoadedModelCheck.magnitudeLimit)
        try LoadedModelCheck.require(scaler.means.allSatisfy { abs($0) <= limit },
                                     "the scaler's means are not all finite numbers of magnitude at most \(limit)")
        try LoadedModelCheck.require(scaler.variances.allSatisfy { $0 == 0 || ($0 >= 1 / (limit * limit) && $0 <= limit * limit) },
                                     "the scaler's variances are not all 0 or between \(1 / (limit * limit)) and \(limit * limit)")
        for (name, value) in [("learning rate", classifier.learningRate),
                              ("intercept learning rate", classifier.interceptLearningRate),
                              ("l2", classifier.l2), ("C", classifier.c)] {
            try LoadedModelCheck.require(value.isFinite && value >= 0, "the \(name) is \(value), not a finite number ≥ 0")
        }
        try LoadedModelCheck.require(classifier.weights.allSatisfy { abs($0) <= limit },
                                     "the classifier's weights are not all finite numbers of magnitude at most \(limit)")
        try LoadedModelCheck.require(classifier.intercepts.allSatisfy { abs($0) <= limit },
                                     "the classifier's intercepts are not all finite numbers of magnitude at most \(limit)")
    }
}
