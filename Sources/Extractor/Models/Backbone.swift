import Foundation
import LinearAlgebra

/// A pretrained ImageNet CNN ready to run: its descriptor and its network graph, compiled to
/// oneDNN primitives per batch size on first use (see `Engine/`).
///
/// Input batches are NCHW float32 made with `descriptor.preprocessing`. A batch uses `threads`
/// threads (parts of the batch side by side, or one OpenMP team for a single image; see
/// `CompiledNetwork`). Calls are thread-safe; concurrent calls on one instance run one after
/// another.
public final class Backbone: Sendable {
    /// Name, input size, preprocessing and output sizes.
    public let descriptor: BackboneDescriptor
    /// Learnable parameters in the checkpoint (as PyTorch counts them: no running statistics).
    public let parameterCount: Int
    /// The threads a forward pass uses.
    public let threads: Int
    /// Where the weights came from (named in errors).
    let source: String
    /// The compiled graph.
    package let network: CompiledNetwork

    /// Assembles a backbone from checkpoint tensors, checking every shape against the architecture.
    /// No primitive is compiled yet: the first call of each batch size does that.
    /// - Parameters:
    ///   - descriptor: which backbone.
    ///   - tensors: the checkpoint's tensors by key.
    ///   - source: where they came from (named in errors).
    ///   - threads: the threads a forward pass uses (default: the active processor count).
    /// - Throws: `BackboneError` when a tensor is missing or has another shape.
    public init(descriptor: BackboneDescriptor, tensors: [String: WeightTensor], source: String,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let checkpoint = CheckpointTensors(tensors: tensors, source: source)
        do {
            let graph: Graph
            switch descriptor.architecture {
            case .mobileNetV2: graph = try MobileNetV2.graph(checkpoint, inputSize: descriptor.inputSize)
            case .efficientNetLite: graph = try EfficientNetLite.graph(checkpoint, inputSize: descriptor.inputSize)
            case .squeezeNet: graph = try SqueezeNet.graph(checkpoint, inputSize: descriptor.inputSize)
            case .resNet(let variant): graph = try ResNet.graph(checkpoint, variant: variant, inputSize: descriptor.inputSize)
            case .kerasVGG(let depth): graph = try KerasVGG.graph(checkpoint, depth: depth, inputSize: descriptor.inputSize)
            case .kerasResNet(let version, let depth):
                graph = try KerasResNet.graph(checkpoint, version: version, depth: depth, inputSize: descriptor.inputSize)
            case .kerasXception: graph = try KerasXception.graph(checkpoint, inputSize: descriptor.inputSize)
            case .invertedResidual(let network): graph = try network.graph(checkpoint, inputSize: descriptor.inputSize)
            case .vgg(let variant): graph = try VGG.graph(checkpoint, variant: variant, inputSize: descriptor.inputSize)
            case .denseNet(let variant): graph = try DenseNet.graph(checkpoint, variant: variant, inputSize: descriptor.inputSize)
            case .kerasInception(let variant):
                graph = try KerasInception.graph(checkpoint, variant: variant, inputSize: descriptor.inputSize)
            case .convNeXt(let variant): graph = try ConvNeXt.graph(checkpoint, variant: variant, inputSize: descriptor.inputSize)
            case .kerasDenseNet(let variant):
                graph = try KerasDenseNet.graph(checkpoint, variant: variant, inputSize: descriptor.inputSize)
            case .kerasMobileNet: graph = try KerasMobileNet.graph(checkpoint, inputSize: descriptor.inputSize)
            case .kerasEfficientNet(let variant):
                graph = try KerasEfficientNet.graph(checkpoint, variant: variant, inputSize: descriptor.inputSize)
            case .regNet(let variant): graph = try RegNet.graph(checkpoint, variant: variant, inputSize: descriptor.inputSize)
            }
            network = try CompiledNetwork(graph, threads: threads)
        } catch let error as EngineError {
            throw BackboneError.unexpectedStructure("\(error)", source: source)
        }
        let graph = network.graph
        let features = graph.outputs[.features].map { graph.shape($0).count } ?? 0
        let classes = graph.outputs[.logits].map { graph.shape($0).count } ?? 0
        // A Keras `include_top=False` file makes a backbone without classifier (see `noClassifier`).
        let headless = classes == 0 && descriptor.kerasLayout != nil
        guard features == descriptor.featureDimension, classes == descriptor.classes || headless else {
            throw BackboneError.unexpectedStructure(
                "\(features) features and \(classes) classes instead of "
                    + "\(descriptor.featureDimension) and \(descriptor.classes)", source: source)
        }
        self.descriptor = descriptor
        self.source = source
        self.parameterCount = checkpoint.parameterCount
        self.threads = network.threads
    }

    /// The name, e.g. `mobilenet_v2`.
    public var name: String { descriptor.name }

    /// Whether the network has its ImageNet classifier (false for a Keras `include_top=False`
    /// file, which gives features but no logits).
    public var hasClassifier: Bool { network.graph.outputs[.logits] != nil }

    /// Floating-point operations (multiply-adds ×2) of one image through the network and classifier.
    public var flopsPerImage: Int { network.graph.flops }

    /// One image's last convolutional feature map (before pooling), e.g. 1280×7×7.
    public var featureMapShape: FeatureShape {
        let graph = network.graph
        return graph.outputs[.featureMap].map { graph.shape($0) } ?? FeatureShape(channels: 0, height: 0, width: 0)
    }

    /// The pooled penultimate feature vectors.
    /// - Parameter batch: preprocessed NCHW images of the network's input size.
    /// - Returns: one row of `descriptor.featureDimension` values per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape;
    ///   ``EngineError`` when oneDNN fails (e.g. out of memory).
    public func features(batch: ImageBatch) throws -> Matrix {
        try run(batch, .features)
    }

    /// The ImageNet class scores before softmax.
    /// - Parameter batch: preprocessed NCHW images of the network's input size.
    /// - Returns: one row of 1000 logits per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape,
    ///   `.noClassifier` when the network has none; ``EngineError`` when oneDNN fails.
    public func logits(batch: ImageBatch) throws -> Matrix {
        try run(batch, .logits)
    }

    /// Features and logits from one forward pass.
    /// - Parameter batch: preprocessed NCHW images of the network's input size.
    /// - Returns: the pooled features and the logits, one row per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape,
    ///   `.noClassifier` when the network has none; ``EngineError`` when oneDNN fails.
    public func featuresAndLogits(batch: ImageBatch) throws -> (features: Matrix, logits: Matrix) {
        let results = try run(batch, [.features, .logits])
        return (results[.features] ?? Matrix(rows: 0, columns: 0), results[.logits] ?? Matrix(rows: 0, columns: 0))
    }

    /// The last convolutional feature maps (before pooling).
    /// - Parameter batch: preprocessed NCHW images of the network's input size.
    /// - Returns: `batch.count × featureMapShape` values in NCHW order.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape;
    ///   ``EngineError`` when oneDNN fails.
    public func featureMaps(batch: ImageBatch) throws -> ImageBatch {
        let shape = featureMapShape
        return ImageBatch(count: batch.count, channels: shape.channels, height: shape.height, width: shape.width,
                          values: try run(batch, .featureMap).values)
    }

    /// The feature rows in a chosen layout (see ``FeatureLayout``).
    /// - Parameters:
    ///   - batch: preprocessed NCHW images of the network's input size.
    ///   - layout: how the last feature map becomes a row.
    /// - Returns: one row of `layout.dimension(for: featureMapShape)` values per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape;
    ///   ``EngineError`` when oneDNN fails.
    public func features(batch: ImageBatch, layout: FeatureLayout) throws -> Matrix {
        try features(batch: batch, layouts: [layout])[0]
    }

    /// The feature rows in several layouts from one pass of the network.
    /// - Parameters:
    ///   - batch: preprocessed NCHW images of the network's input size.
    ///   - layouts: how the last feature map becomes a row, one matrix each.
    /// - Returns: for each layout, one row of `layout.dimension(for: featureMapShape)` values per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape;
    ///   ``EngineError`` when oneDNN fails.
    public func features(batch: ImageBatch, layouts: [FeatureLayout]) throws -> [Matrix] {
        // The average comes from the engine's pooling (the same numbers as `features(batch:)`);
        // grids and the flat map are cut from the map.
        let needsMap = layouts.contains { $0 != .average }
        let results = try run(batch, needsMap ? [.features, .featureMap] : [.features])
        let shape = featureMapShape
        let empty = Matrix(rows: 0, columns: 0)
        return layouts.map { layout in
            guard layout != .average else { return results[.features] ?? empty }
            var rows = Matrix(rows: batch.count, columns: layout.dimension(for: shape))
            (results[.featureMap] ?? empty).values.withUnsafeBufferPointer { map in
                rows.values.withUnsafeMutableBufferPointer { output in
                    guard let map = map.baseAddress, let output = output.baseAddress else { return }
                    layout.apply(map, shape: shape, count: batch.count, output: output)
                }
            }
            return rows
        }
    }

    private func check(_ batch: ImageBatch) throws {
        let input = network.graph.inputShape
        guard batch.channels == input.channels, batch.height == input.height, batch.width == input.width else {
            throw BackboneError.inputShape(expected: input.description,
                                           found: "\(batch.channels)×\(batch.height)×\(batch.width)")
        }
    }

    /// Runs the network once and returns one requested output, one row per image.
    private func run(_ batch: ImageBatch, _ output: Graph.Output) throws -> Matrix {
        try run(batch, [output])[output] ?? Matrix(rows: 0, columns: 0)
    }

    /// Runs the network once and returns the requested outputs, one row per image.
    private func run(_ batch: ImageBatch, _ outputs: Set<Graph.Output>) throws -> [Graph.Output: Matrix] {
        try check(batch)
        guard outputs.contains(.logits) == false || hasClassifier else {
            throw BackboneError.noClassifier(backbone: name, source: source)
        }
        let graph = network.graph
        let empty = Dictionary(uniqueKeysWithValues: outputs.map { output in
            (output, Matrix(rows: 0, columns: graph.outputs[output].map { graph.shape($0).count } ?? 0))
        })
        guard batch.count > 0 else { return empty }
        var results = empty.mapValues { Matrix(rows: batch.count, columns: $0.columns) }
        try batch.values.withUnsafeBufferPointer { values in
            guard let base = values.baseAddress else { return }
            try network.run(base, count: batch.count, outputs: outputs) { first, count, exports in
                for (output, export) in exports {
                    results[output]?.values.withUnsafeMutableBufferPointer { rows in
                        rows.baseAddress?.advanced(by: first * export.perImage)
                            .update(from: export.pointer, count: count * export.perImage)
                    }
                }
            }
        }
        return results
    }
}
