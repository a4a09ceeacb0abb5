/// Building blocks shared by the backbone families.
extension Graph {
    /// A convolution, then an activation if given.
    /// - Parameters:
    ///   - x: the input.
    ///   - convolution: the layer (batch norm folded in).
    ///   - activation: what follows it, if anything.
    /// - Returns: the output.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when the shapes do not fit.
    mutating func layer(_ x: Value, _ convolution: Convolution, _ activation: Activation?) throws(EngineError) -> Value {
        let y = try self.convolution(x, convolution)
        return activation.map { self.activation(y, $0) } ?? y
    }

    /// The outputs of a classifier with a global-average-pooled linear head (MobileNetV2,
    /// EfficientNet): the map, its global average as the features, and the head on those.
    /// - Parameters:
    ///   - featureMap: the last convolutional feature map.
    ///   - classifier: the fully connected head.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when the head does not fit the map.
    mutating func setPooledLinearOutputs(featureMap: Value, classifier: Linear) throws(EngineError) {
        let features = globalAveragePool(featureMap)
        setOutput(.featureMap, featureMap)
        setOutput(.features, features)
        setOutput(.logits, try linear(features, classifier))
    }
}
