import LinearAlgebra

/// A fitted classifier together with the scaler its input goes through (`FittedModel`,
/// `SavedModel`), predicting only on rows it has checked: the width the model was fitted on,
/// and finite values before and after scaling. The classifiers' own `predict` stays unchecked
/// (it is the hot path, and its state was checked when fitted or loaded).
public protocol ScaledPrediction {
    /// The fitted classifier.
    var classifier: any PersistableClassifier { get }
    /// The scaler fitted on the training rows, if the classifier expects scaled input.
    var scaler: StandardScaler? { get }
}

extension ScaledPrediction {
    /// The number of raw features a row must have, when known.
    public var inputWidth: Int? {
        if let scaler, !scaler.mean.isEmpty { return scaler.mean.count }
        return classifier.featureCount
    }

    /// Checks raw feature rows and scales them for the classifier.
    /// - Parameter x: raw (unscaled) rows, one sample per row.
    /// - Returns: the rows the classifier takes.
    /// - Throws: `ClassicMLError.shapeMismatch` for another width; `.nonFiniteValue` naming the
    ///   first row and column that is NaN or infinite (or becomes so when scaled).
    public func prepared(_ x: Matrix) throws -> Matrix {
        if let width = inputWidth {
            try InputValidation.features(x, columns: width)
        } else {
            try InputValidation.finite(x)
        }
        guard let scaler else { return x }
        let scaled = try scaler.transform(x)
        try InputValidation.finite(scaled)
        return scaled
    }

    /// Predicted labels for raw (unscaled) feature rows.
    /// - Parameter x: raw rows, one sample per row.
    /// - Returns: one label per row.
    /// - Throws: as ``prepared(_:)``.
    public func predict(_ x: Matrix) throws -> [Int] {
        classifier.predict(try prepared(x))
    }

    /// Class probabilities for raw feature rows, when the classifier estimates them.
    /// - Parameter x: raw rows, one sample per row.
    /// - Returns: an n × `classifier.classes.count` matrix, or nil for a classifier without
    ///   probabilities.
    /// - Throws: as ``prepared(_:)``.
    public func predictProba(_ x: Matrix) throws -> Matrix? {
        let rows = try prepared(x)
        return (classifier as? any ProbabilisticClassifier)?.predictProba(rows)
    }
}
