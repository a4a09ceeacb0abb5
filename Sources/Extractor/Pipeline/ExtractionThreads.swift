/// How the cores are shared when images are decoded while the network runs: the network's
/// OpenMP team and the decoder pool's workers.
public struct ExtractionThreads: Sendable, Equatable {
    /// The OpenMP team size of the forward pass (the `threads` of `BackboneRegistry.load`).
    public let network: Int
    /// Decoder pool workers.
    public let decoders: Int

    /// The split for `total` threads.
    /// - Parameter total: the threads the caller may use (at least 1).
    public init(total: Int) {
        network = max(1, total)
        decoders = max(1, total)
    }
}
