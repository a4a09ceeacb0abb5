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
    /// Images per chunk when a batch is split by image across threads: as many as keep the
    /// largest activation of a chunk within about 8 MB.
    let chunkSize: Int
    /// Guards the workspaces.
    private let lock = NSLock()
    /// One workspace of `chunkSize` images per thread (made on first use).
    private var chunkWorkspaces: [Workspace] = []
    /// The workspace for batches smaller than `threads` (layer-parallel).
    private var smallWorkspace: Workspace?

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
        chunkSize = max(1, (1 << 21) / network.requirements().activation)
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
        let shape = network.featureShape
        return ImageBatch(count: batch.count, channels: shape.channels, height: shape.height, width: shape.width,
                          values: try features(batch: batch, layout: .flat).values)
    }

    /// The feature rows in a chosen layout (see ``FeatureLayout``).
    /// - Parameters:
    ///   - batch: preprocessed NCHW images of the network's input size.
    ///   - layout: how the last feature map becomes a row.
    /// - Returns: one row of `layout.dimension(for: featureMapShape)` values per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape.
    public func features(batch: ImageBatch, layout: FeatureLayout) throws -> Matrix {
        if layout == .average { return try features(batch: batch) }
        return try features(batch: batch, layouts: [layout])[0]
    }

    /// The feature rows in several layouts from one pass of the network.
    /// - Parameters:
    ///   - batch: preprocessed NCHW images of the network's input size.
    ///   - layouts: how the last feature map becomes a row, one matrix each.
    /// - Returns: for each layout, one row of `layout.dimension(for: featureMapShape)` values per image.
    /// - Throws: `BackboneError.inputShape` when the batch has another image shape.
    public func features(batch: ImageBatch, layouts: [FeatureLayout]) throws -> [Matrix] {
        try check(batch)
        let shape = network.featureShape
        var outputs = layouts.map { Matrix(rows: batch.count, columns: $0.dimension(for: shape)) }
        var pointers = [UnsafeMutablePointer<Float>]()
        defer { for pointer in pointers { pointer.deallocate() } }
        // Stable addresses for the step closure, copied into the matrices afterwards.
        for output in outputs {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, output.values.count))
            pointers.append(pointer)
        }
        let targets = pointers
        execute(batch) { first, input, count, workspace, threads in
            let map = network.trunk(input, count: count, workspace: workspace, threads: threads).current
            for (layout, target) in zip(layouts, targets) {
                let dimension = layout.dimension(for: shape)
                layout.apply(map, shape: shape, count: count, output: target + first * dimension)
            }
        }
        for index in outputs.indices {
            outputs[index].values.withUnsafeMutableBufferPointer { values in
                guard let base = values.baseAddress else { return }
                base.update(from: targets[index], count: values.count)
            }
        }
        return outputs
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
        features.values.withUnsafeMutableBufferPointer { featureRows in
            logits.values.withUnsafeMutableBufferPointer { logitRows in
                execute(batch) { first, input, count, workspace, threads in
                    network.forward(input, count: count, workspace: workspace, withLogits: withLogits,
                                    threads: threads)
                    featureRows.baseAddress?.advanced(by: first * dim)
                        .update(from: workspace.features, count: count * dim)
                    if withLogits {
                        logitRows.baseAddress?.advanced(by: first * classes)
                            .update(from: workspace.logits, count: count * classes)
                    }
                }
            }
        }
        return (features, logits)
    }

    /// Runs `step` over the whole batch, holding the lock, with OpenBLAS single-threaded (the
    /// parallelism is ours; its previous setting is restored afterwards).
    ///
    /// A batch of at least `threads` images is split by image: each thread runs its share in
    /// chunks of `chunkSize` images through its own workspace, so the activations of a chunk
    /// stay in cache and the threads never synchronise. A smaller batch runs as one chunk with
    /// every layer split across the threads.
    /// - Parameter step: runs one chunk, given its first image index, its input, its image
    ///   count, a workspace for it and the threads it may use; chunks write disjoint outputs.
    private func execute(_ batch: ImageBatch,
                         _ step: (Int, UnsafePointer<Float>, Int, Workspace, Int) -> Void) {
        guard batch.count > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        let savedBLASThreads = BLAS.threads
        BLAS.threads = 1
        defer { BLAS.threads = savedBLASThreads }
        let size = batch.imageSize
        batch.values.withUnsafeBufferPointer { values in
            guard let base = values.baseAddress else { return }
            if batch.count >= threads {
                if chunkWorkspaces.isEmpty {
                    chunkWorkspaces = (0..<threads).map { _ in Workspace(network: network, count: chunkSize, threads: 1) }
                }
                let workspaces = chunkWorkspaces
                parallelRanges(batch.count, threads: threads) { part, range in
                    var first = range.lowerBound
                    while first < range.upperBound {
                        let count = min(chunkSize, range.upperBound - first)
                        step(first, base + first * size, count, workspaces[part], 1)
                        first += count
                    }
                }
            } else {
                if (smallWorkspace?.count ?? 0) < batch.count {
                    smallWorkspace = Workspace(network: network, count: batch.count, threads: threads)
                }
                if let workspace = smallWorkspace {
                    step(0, base, batch.count, workspace, threads)
                }
            }
        }
    }
}
