/// How the cores are shared when images are decoded while a network runs: the network's
/// OpenMP team and the ``DecoderPool`` workers.
///
/// The network gets every thread, and so do the decoders, at background priority: the decoders
/// fill the cores whenever the network leaves them idle (between batches, while its results
/// are stored) and yield them at once when it runs. Decoding and the forward pass are both
/// CPU-bound, so on `n` cores a batch costs about `forward(n threads) + decode(1 thread) / n`
/// whatever the split; what the split must avoid is an OpenMP team stalled at its barriers by
/// a decoder holding one of its cores. Measured on 2 cores (BENCHMARKS.md, "Threads"): a team
/// of 1 plus 1 decoder was 20–35 % slower end to end than a team of 2 with 2 decoders; with
/// 2400×1800 JPEGs (decoding as costly as the network) background decoders were 8–35 % faster
/// than decoders at normal priority, and no slower with ordinary photos.
///
/// Use it as
///
///     let split = ExtractionThreads(total: threads)
///     let backbone = try BackboneRegistry.load(name, threads: split.network)
///     let pool = try DecoderPool(urls: files, preset: backbone.descriptor.preprocessing,
///                                threads: split.decoders, priority: split.decoderPriority)
public struct ExtractionThreads: Sendable, Equatable {
    /// The OpenMP team size of the forward pass (the `threads` of `BackboneRegistry.load`).
    public let network: Int
    /// Decoder pool workers.
    public let decoders: Int
    /// The decoder pool workers' priority.
    public let decoderPriority: DecoderPool.Priority

    /// The split for `total` threads.
    /// - Parameter total: the threads the caller may use (at least 1).
    public init(total: Int) {
        network = max(1, total)
        decoders = max(1, total)
        decoderPriority = .background
    }
}
