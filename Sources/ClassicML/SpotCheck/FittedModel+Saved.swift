extension FittedModel {
    /// The fitted classifier and scaler a saved model holds — e.g. one saved by another process.
    /// - Parameter saved: a model read from a model file.
    public init(_ saved: SavedModel) {
        self.init(classifier: saved.classifier, scaler: saved.scaler)
    }
}
