/// Keras' InceptionV3 and InceptionResNetV2 (`keras.applications.InceptionV3`,
/// `InceptionResNetV2`; the cookbook's InceptionResNetV2) from their `.h5` weights, written as
/// `keras/src/applications/inception_v3.py` and `inception_resnet_v2.py` build them, layer by
/// layer, in a ``KerasFunctionalModel`` (which gives the weight files' layer order and the graph).
/// Input 299, `tf` preprocessing.
///
/// Every `conv2d_bn` is a `Conv2D` without bias, a `BatchNormalization(scale=False)` (no gamma,
/// Keras' default ε 1e-3) and a ReLU; the batch norm folds into the convolution. Its padding is
/// `same` (stride 1) or `valid` exactly as the Keras code says; every strided convolution and
/// max pool is `valid`, the 3×3 average pools are `same` at stride 1 and, as in Keras, divide by
/// the pixels inside the image. Unnamed layers are named as a fresh Keras session names them
/// (`conv2d`, `conv2d_1`, …, `batch_normalization_<n>`); Keras 2 files name them differently
/// (`conv2d_1`, …) but are assigned by position.
///
/// - **InceptionV3**: stem, `mixed0`…`mixed10`; the feature map is `mixed10` (2048×8×8).
/// - **InceptionResNetV2**: stem, `mixed_5b`, 10 × block35 (residual scale 0.17), `mixed_6a`,
///   20 × block17 (0.1), `mixed_7a`, 10 × block8 (0.2; the last 1.0 and without ReLU), `conv_7b`;
///   the feature map is `conv_7b_ac` (1536×8×8). A block's output is
///   `x + scale · up` with `up` a 1×1 convolution with bias (`block35_1_conv`, …); the scale folds
///   into that convolution.
///
/// Both put `avg_pool` and `predictions` (logits before the softmax, when the file has them) on
/// the feature map.
enum KerasInception {
    /// The two networks.
    enum Variant: Sendable, Equatable {
        /// InceptionV3.
        case v3
        /// InceptionResNetV2.
        case resNetV2
    }

    /// Keras' default batch-norm ε, which both keep.
    static let epsilon: Float = 1e-3

    /// The model as Keras builds it with its classifier, and its feature map's node.
    /// - Parameter variant: which network.
    /// - Returns: the model and the feature map.
    static func model(_ variant: Variant) -> (model: KerasFunctionalModel, featureMap: Int) {
        var model = KerasFunctionalModel()
        let map: Int
        switch variant {
        case .v3: map = inceptionV3(&model)
        case .resNetV2: map = inceptionResNetV2(&model)
        }
        _ = model.averagePooledClassifier(map, outputs: 1000)
        return (model, map)
    }

    /// The layers with weights in Keras' `model.layers` order.
    /// - Parameter variant: which network.
    /// - Returns: the layout; the classifier is `predictions`.
    static func layout(_ variant: Variant) -> KerasLayout {
        let (model, map) = model(variant)
        return model.layout(featureMap: map)
    }

    /// Builds the graph from tensors keyed as ``KerasLayer/keys``.
    /// - Parameters:
    ///   - checkpoint: the tensors; without `predictions/kernel` the graph has no logits.
    ///   - variant: which network.
    ///   - inputSize: the square input side (299).
    /// - Returns: the graph.
    /// - Throws: `BackboneError` for a missing or misshapen tensor, ``EngineError`` when the layers
    ///   do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, variant: Variant, inputSize: Int) throws -> Graph {
        let (model, map) = model(variant)
        return try model.graph(checkpoint, inputSize: inputSize, featureMap: map)
    }

    /// Both files' `conv2d_bn`: a convolution without bias, a batch norm without gamma and, unless
    /// `activation` is false, a ReLU. InceptionResNetV2's named ones are `name`, `name_bn`.
    static func conv2dBN(_ m: inout KerasFunctionalModel, _ x: Int, _ filters: Int, _ rows: Int, _ columns: Int,
                         stride: Int = 1, same: Bool = true, name: String? = nil) -> Int {
        let conv = m.conv2d(x, filters, Extent(y: rows, x: columns), stride: stride, same: same, bias: false, name: name)
        return m.relu(m.batchNorm(conv, scale: false, epsilon: epsilon, name: name.map { "\($0)_bn" }))
    }

    /// The stem both networks share: 299 → 35×35×192.
    static func stem(_ m: inout KerasFunctionalModel) -> Int {
        var x = conv2dBN(&m, m.input, 32, 3, 3, stride: 2, same: false)
        x = conv2dBN(&m, x, 32, 3, 3, same: false)
        x = conv2dBN(&m, x, 64, 3, 3)
        x = m.pool(x, .max, size: 3, stride: 2, same: false)
        x = conv2dBN(&m, x, 80, 1, 1, same: false)
        x = conv2dBN(&m, x, 192, 3, 3, same: false)
        return m.pool(x, .max, size: 3, stride: 2, same: false)
    }

    /// A 3×3 stride-1 `same` average pool (Keras': padding not counted).
    static func averagePool(_ m: inout KerasFunctionalModel, _ x: Int) -> Int {
        m.pool(x, .average(countsPadding: false), size: 3, stride: 1, same: true)
    }

    /// InceptionV3's layers up to `mixed10`.
    static func inceptionV3(_ m: inout KerasFunctionalModel) -> Int {
        var x = stem(&m)
        // mixed0, 1, 2: 35×35.
        for poolFilters in [32, 64, 64] {
            let b1 = conv2dBN(&m, x, 64, 1, 1)
            let b5 = conv2dBN(&m, conv2dBN(&m, x, 48, 1, 1), 64, 5, 5)
            let b3 = conv2dBN(&m, conv2dBN(&m, conv2dBN(&m, x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
            let pool = averagePool(&m, x)
            let bp = conv2dBN(&m, pool, poolFilters, 1, 1)
            x = m.concat([b1, b5, b3, bp])
        }
        // mixed3: 17×17.
        let b3 = conv2dBN(&m, x, 384, 3, 3, stride: 2, same: false)
        let b3d = conv2dBN(&m, conv2dBN(&m, conv2dBN(&m, x, 64, 1, 1), 96, 3, 3), 96, 3, 3, stride: 2, same: false)
        let p3 = m.pool(x, .max, size: 3, stride: 2, same: false)
        x = m.concat([b3, b3d, p3])
        // mixed4…7.
        for width in [128, 160, 160, 192] {
            let b1 = conv2dBN(&m, x, 192, 1, 1)
            var b7 = conv2dBN(&m, x, width, 1, 1)
            b7 = conv2dBN(&m, conv2dBN(&m, b7, width, 1, 7), 192, 7, 1)
            var b7d = conv2dBN(&m, x, width, 1, 1)
            b7d = conv2dBN(&m, conv2dBN(&m, b7d, width, 7, 1), width, 1, 7)
            b7d = conv2dBN(&m, conv2dBN(&m, b7d, width, 7, 1), 192, 1, 7)
            let pool = averagePool(&m, x)
            let bp = conv2dBN(&m, pool, 192, 1, 1)
            x = m.concat([b1, b7, b7d, bp])
        }
        // mixed8: 8×8.
        let b3x3 = conv2dBN(&m, conv2dBN(&m, x, 192, 1, 1), 320, 3, 3, stride: 2, same: false)
        var b7x3 = conv2dBN(&m, conv2dBN(&m, conv2dBN(&m, x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
        b7x3 = conv2dBN(&m, b7x3, 192, 3, 3, stride: 2, same: false)
        let p8 = m.pool(x, .max, size: 3, stride: 2, same: false)
        x = m.concat([b3x3, b7x3, p8])
        // mixed9, 10.
        for _ in 0..<2 {
            let b1 = conv2dBN(&m, x, 320, 1, 1)
            let b3 = conv2dBN(&m, x, 384, 1, 1)
            let b3a = conv2dBN(&m, b3, 384, 1, 3), b3b = conv2dBN(&m, b3, 384, 3, 1)
            let b3s = m.concat([b3a, b3b])
            let b3d = conv2dBN(&m, conv2dBN(&m, x, 448, 1, 1), 384, 3, 3)
            let b3da = conv2dBN(&m, b3d, 384, 1, 3), b3db = conv2dBN(&m, b3d, 384, 3, 1)
            let b3ds = m.concat([b3da, b3db])
            let pool = averagePool(&m, x)
            let bp = conv2dBN(&m, pool, 192, 1, 1)
            x = m.concat([b1, b3s, b3ds, bp])
        }
        return x
    }

    /// InceptionResNetV2's layers up to `conv_7b_ac`.
    static func inceptionResNetV2(_ m: inout KerasFunctionalModel) -> Int {
        var x = stem(&m)
        // mixed_5b: 35×35×320.
        let b0 = conv2dBN(&m, x, 96, 1, 1)
        let b1 = conv2dBN(&m, conv2dBN(&m, x, 48, 1, 1), 64, 5, 5)
        let b2 = conv2dBN(&m, conv2dBN(&m, conv2dBN(&m, x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
        let pool = averagePool(&m, x)
        let bp = conv2dBN(&m, pool, 64, 1, 1)
        x = m.concat([b0, b1, b2, bp])
        for index in 1...10 { x = residualBlock(&m, x, .block35, index: index, scale: 0.17) }
        // mixed_6a: 17×17×1088.
        let a0 = conv2dBN(&m, x, 384, 3, 3, stride: 2, same: false)
        let a1 = conv2dBN(&m, conv2dBN(&m, conv2dBN(&m, x, 256, 1, 1), 256, 3, 3), 384, 3, 3, stride: 2, same: false)
        let p6 = m.pool(x, .max, size: 3, stride: 2, same: false)
        x = m.concat([a0, a1, p6])
        for index in 1...20 { x = residualBlock(&m, x, .block17, index: index, scale: 0.1) }
        // mixed_7a: 8×8×2080.
        let c0 = conv2dBN(&m, conv2dBN(&m, x, 256, 1, 1), 384, 3, 3, stride: 2, same: false)
        let c1 = conv2dBN(&m, conv2dBN(&m, x, 256, 1, 1), 288, 3, 3, stride: 2, same: false)
        let c2 = conv2dBN(&m, conv2dBN(&m, conv2dBN(&m, x, 256, 1, 1), 288, 3, 3), 320, 3, 3, stride: 2, same: false)
        let p7 = m.pool(x, .max, size: 3, stride: 2, same: false)
        x = m.concat([c0, c1, c2, p7])
        for index in 1...10 { x = residualBlock(&m, x, .block8, index: index, scale: index == 10 ? 1 : 0.2) }
        return conv2dBN(&m, x, 1536, 1, 1, name: "conv_7b")
    }

    /// InceptionResNetV2's residual block kinds.
    enum Block: String {
        case block35, block17, block8
    }

    /// `inception_resnet_block`: the branches, their concatenation (`<block>_<i>_mixed`), the
    /// 1×1 convolution with bias back to the input's width (`<block>_<i>_conv`), `x + scale · up`
    /// and a ReLU (not after block8_10).
    static func residualBlock(_ m: inout KerasFunctionalModel, _ x: Int, _ block: Block, index: Int,
                              scale: Float) -> Int {
        let branches: [Int]
        switch block {
        case .block35:
            let b0 = conv2dBN(&m, x, 32, 1, 1)
            let b1 = conv2dBN(&m, conv2dBN(&m, x, 32, 1, 1), 32, 3, 3)
            let b2 = conv2dBN(&m, conv2dBN(&m, conv2dBN(&m, x, 32, 1, 1), 48, 3, 3), 64, 3, 3)
            branches = [b0, b1, b2]
        case .block17:
            let b0 = conv2dBN(&m, x, 192, 1, 1)
            let b1 = conv2dBN(&m, conv2dBN(&m, conv2dBN(&m, x, 128, 1, 1), 160, 1, 7), 192, 7, 1)
            branches = [b0, b1]
        case .block8:
            let b0 = conv2dBN(&m, x, 192, 1, 1)
            let b1 = conv2dBN(&m, conv2dBN(&m, conv2dBN(&m, x, 192, 1, 1), 224, 1, 3), 256, 3, 1)
            branches = [b0, b1]
        }
        let mixed = m.concat(branches), width = m.channels(x)
        let up = m.conv2d(mixed, width, Extent(1), same: true, bias: true, name: "\(block.rawValue)_\(index)_conv")
        let sum = m.scaledSum(x, up, scale: scale)
        return block == .block8 && index == 10 ? sum : m.relu(sum)
    }
}
