import Foundation
import LinearAlgebra

/// A pretrained ImageNet CNN ready to run: its descriptor, its layers with batch norms folded,
/// and reusable per-batch-size workspaces.
///
/// Input batches are NCHW float32 made with `descriptor.preprocessing`. Internally every layer
/// runs on the whole batch in CNHW order (see `Padding`). Calls are thread-safe; concurrent
/// calls on one instance run one after another (each uses `threads` threads).
public final class Backbone: @unchecked Sendable {
    /// Name, input size, preprocessing and output sizes.
    public let descriptor: BackboneDescriptor
    /// Learnable parameters in the checkpoint (as PyTorch counts them: no running statistics).
    public let parameterCount: Int
    /// Threads used by the Swift loops (OpenBLAS uses its own, process-wide setting).
    public let threads: Int
    let network: Network
    /// Guards `workspaces`.
    private let lock = NSLock()
    /// Workspaces by batch size (at most two kept: the full batch size and a final partial one).
    private var workspaces: [Int: Workspace] = [:]

    /// Assembles a backbone from checkpoint tensors, checking every shape against the architecture.
    /// - Parameters:
    ///   - descriptor: which backbone.
    ///   - tensors: the checkpoint's tensors by key.
    ///   - source: where they came from (named in errors).
    ///   - threads: threads for the Swift loops (default: the active processor count).
    /// - Throws: `BackboneError` when a tensor is missing or has another shape.
    public init(descriptor: BackboneDescriptor, tensors: [String: WeightTensor], source: String,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let checkpoint = CheckpointTensors(tensors: tensors, source: source)
        switch descriptor.architecture {
        case .mobileNetV2:
            network = try MobileNetV2.network(checkpoint, inputSize: descriptor.inputSize)
        case .efficientNetLite:
            network = try EfficientNetLite.network(checkpoint, inputSize: descriptor.inputSize)
        case .squeezeNet:
            network = try SqueezeNet.network(checkpoint, inputSize: descriptor.inputSize)
        }
        guard network.featureDimension == descriptor.featureDimension, network.classes == descriptor.classes else {
            throw BackboneError.unexpectedStructure(
                "\(network.featureDimension) features and \(network.classes) classes instead of "
                    + "\(descriptor.featureDimension) and \(descriptor.classes)", source: source)
        }
        self.descriptor = descriptor
        self.parameterCount = checkpoint.parameterCount
        self.threads = max(1, threads)
    }

    /// The name, e.g. `mobilenet_v2`.
    public var name: String { descriptor.name }

    /// Floating-point operations (multiply-adds ×2) of one image through the network and classifier.
    public var flopsPerImage: Int { network.flopsPerImage }

    /// One image's last convolutional feature map (before pooling), e.g. 1280×7×7.
    public var featureMapShape: FeatureShape { network.featureShape }

    /// The pooled penultimate feature vectors.
    /// - Parameter batch: preprocessed NCHW images of the network's input size.
    /// - Returns: one row of `descriptor.featureDimension` values per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape.
    public func features(batch: ImageBatch) throws -> Matrix {
        try outputs(batch: batch, withLogits: false).features
    }

    /// The ImageNet class scores before softmax.
    /// - Parameter batch: preprocessed NCHW images of the network's input size.
    /// - Returns: one row of 1000 logits per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape.
    public func logits(batch: ImageBatch) throws -> Matrix {
        try outputs(batch: batch, withLogits: true).logits
    }

    /// Features and logits from one forward pass.
    /// - Parameter batch: preprocessed NCHW images of the network's input size.
    /// - Returns: the pooled features and the logits, one row per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape.
    public func featuresAndLogits(batch: ImageBatch) throws -> (features: Matrix, logits: Matrix) {
        try outputs(batch: batch, withLogits: true)
    }

    /// The last convolutional feature maps (before pooling).
    /// - Parameter batch: preprocessed NCHW images of the network's input size.
    /// - Returns: `batch.count × featureMapShape` values in NCHW order.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape.
    public func featureMaps(batch: ImageBatch) throws -> ImageBatch {
        try check(batch)
        let shape = network.featureShape
        var values = [Float](repeating: 0, count: batch.count * shape.count)
        guard batch.count > 0 else {
            return ImageBatch(count: 0, channels: shape.channels, height: shape.height, width: shape.width, values: values)
        }
        withWorkspace(count: batch.count) { workspace in
            batch.values.withUnsafeBufferPointer { input in
                guard let input = input.baseAddress else { return }
                let map = network.trunk(input, workspace: workspace, threads: threads).current
                let plane = shape.planeSize
                values.withUnsafeMutableBufferPointer { out in
                    guard let out = out.baseAddress else { return }
                    for c in 0..<shape.channels {
                        for image in 0..<batch.count {
                            (out + (image * shape.channels + c) * plane)
                                .update(from: map + (c * batch.count + image) * plane, count: plane)
                        }
                    }
                }
            }
        }
        return ImageBatch(count: batch.count, channels: shape.channels, height: shape.height, width: shape.width,
                          values: values)
    }

    private func check(_ batch: ImageBatch) throws {
        let input = network.input
        guard batch.channels == input.channels, batch.height == input.height, batch.width == input.width else {
            throw BackboneError.inputShape(expected: input.description,
                                           found: "\(batch.channels)×\(batch.height)×\(batch.width)")
        }
    }

    private func outputs(batch: ImageBatch, withLogits: Bool) throws -> (features: Matrix, logits: Matrix) {
        try check(batch)
        let (dim, classes) = (network.featureDimension, network.classes)
        var features = Matrix(rows: batch.count, columns: dim)
        var logits = Matrix(rows: withLogits ? batch.count : 0, columns: classes)
        guard batch.count > 0 else { return (features, logits) }
        withWorkspace(count: batch.count) { workspace in
            batch.values.withUnsafeBufferPointer { input in
                guard let input = input.baseAddress else { return }
                network.forward(input, workspace: workspace, withLogits: withLogits, threads: threads)
            }
            features.values.withUnsafeMutableBufferPointer { out in
                out.baseAddress?.update(from: workspace.features, count: batch.count * dim)
            }
            if withLogits {
                logits.values.withUnsafeMutableBufferPointer { out in
                    out.baseAddress?.update(from: workspace.logits, count: batch.count * classes)
                }
            }
        }
        return (features, logits)
    }

    /// Runs `body` with the workspace for `count` images, holding the lock.
    private func withWorkspace(count: Int, _ body: (Workspace) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        let workspace: Workspace
        if let existing = workspaces[count] {
            workspace = existing
        } else {
            if workspaces.count >= 2 { workspaces.removeAll() }
            workspace = Workspace(network: network, count: count, threads: threads)
            workspaces[count] = workspace
        }
        body(workspace)
    }
}
