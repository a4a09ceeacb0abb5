/// The activation buffers a block reads and writes: `current` holds the block's input and,
/// after `swapCurrent()`, its output; `spare` and `extra` are scratch of the same size.
struct ActivationBuffers {
    /// The live activation.
    private(set) var current: UnsafeMutablePointer<Float>
    /// Where a block writes its output (becomes `current` on swap).
    private(set) var spare: UnsafeMutablePointer<Float>
    /// A third buffer for intermediate results inside a block.
    let extra: UnsafeMutablePointer<Float>
    /// im2col scratch.
    let column: UnsafeMutablePointer<Float>
    /// Per-thread depthwise scratch, `threads` consecutive blocks.
    let depthwise: UnsafeMutablePointer<Float>

    /// Makes the block output (`spare`) the live activation.
    mutating func swapCurrent() { swap(&current, &spare) }
}

/// Every buffer one forward pass of one network at one batch size needs, allocated once and
/// reused by every call with that batch size (no allocation on the hot path).
final class Workspace {
    /// The batch size the buffers are sized for.
    let count: Int
    /// Floats in each activation buffer.
    let activationSize: Int
    private let storage: [UnsafeMutablePointer<Float>]
    /// The buffers, reset to the same three at the start of each pass.
    let buffers: ActivationBuffers
    /// `count × featureDimension` pooled features.
    let features: UnsafeMutablePointer<Float>
    /// `count × classes` logits.
    let logits: UnsafeMutablePointer<Float>

    /// Allocates buffers for `network` at batch size `count`.
    /// - Parameters:
    ///   - network: the network.
    ///   - count: the batch size.
    ///   - threads: the number of per-thread depthwise scratch blocks.
    init(network: Network, count: Int, threads: Int) {
        let need = network.requirements()
        self.count = count
        activationSize = need.activation * count
        let sizes = [activationSize, activationSize, activationSize, max(1, need.column * count),
                     max(1, need.depthwise * threads), network.featureDimension * count, network.classes * count]
        storage = sizes.map { size in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: size)
            p.initialize(repeating: 0, count: size)
            return p
        }
        buffers = ActivationBuffers(current: storage[0], spare: storage[1], extra: storage[2], column: storage[3],
                                    depthwise: storage[4])
        features = storage[5]
        logits = storage[6]
    }

    deinit {
        for p in storage { p.deallocate() }
    }
}
