import Foundation

/// A file that could not be turned into a network input; the batch went on without it.
public struct ImageFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Index of the file in the list given to the ``DecoderPool``.
    public let sampleIndex: Int
    /// What went wrong, naming the file.
    public let error: ImageDecodingError

    /// The decoding error's description.
    public var description: String { error.description }
}

/// One batch from a ``DecoderPool``.
public struct DecodedBatch: Sendable {
    /// Position of the batch: batch `b` covers files `b·batchSize ..< (b+1)·batchSize`.
    public let batchIndex: Int
    /// The preprocessed images that decoded, in file order (may hold fewer than `batchSize`
    /// images, or none, when files failed).
    public var images: ImageBatch
    /// For each image of ``images``, its index in the list of files given to the pool.
    public let sampleIndices: [Int]
    /// The files of this batch that failed, in file order.
    public let failures: [ImageFailure]
}

/// Decodes and preprocesses image files on worker threads and hands out batches in file
/// order to a synchronous caller, so that decoding overlaps with whatever the caller does
/// with each batch (typically a network forward on the caller's thread).
///
/// Memory is bounded: at most `maxBatchesInFlight` batches are being decoded or waiting to be
/// taken; workers pause until the caller takes one. A file that fails is skipped and reported
/// in its batch's ``DecodedBatch/failures``; nothing stops the batch. Use it as a sequence:
///
///     let pool = try DecoderPool(urls: dataset.samples.map(\.url), preset: .torchvision,
///                                batchSize: 32, threads: 2)
///     for batch in pool { forward(batch.images); record(batch.sampleIndices, batch.failures) }
///
/// Iterate from one thread. Dropping the pool (or ``cancel()``) stops the workers.
public final class DecoderPool: Sequence, IteratorProtocol {
    /// Files per batch.
    public let batchSize: Int
    /// Number of batches the files make.
    public let batchCount: Int
    /// The most batches decoded ahead of the caller.
    public let maxBatchesInFlight: Int
    private let state: PoolState

    /// Starts the workers.
    /// - Parameters:
    ///   - urls: the image files, in the order the batches must follow.
    ///   - preset: how every image is prepared (geometry, filter, channels, normalisation).
    ///   - batchSize: files per batch (default 32).
    ///   - threads: worker threads (default 2).
    ///   - maxBatchesInFlight: batches decoded ahead of the caller (default `threads + 1`).
    ///   - maxPixels: images claiming more pixels are refused as failures (default 100 megapixels).
    ///   - decodeBudget: the most memory one worker's decode may use (default
    ///     `ImageDecoder.defaultDecodeBudget`); larger images are refused as failures, so the
    ///     decoders together stay below `threads ×` (this + the largest file read).
    ///   - reducedDecode: allow DCT-scaled decoding of very large JPEGs (default false, as Pillow).
    /// - Throws: ``InvalidPresetError`` when the preset cannot be applied.
    public init(urls: [URL], preset: Preprocessing, batchSize: Int = 32, threads: Int = 2,
                maxBatchesInFlight: Int? = nil, maxPixels: Int = 100_000_000,
                decodeBudget: Int = ImageDecoder.defaultDecodeBudget, reducedDecode: Bool = false)
        throws(InvalidPresetError) {
        precondition(batchSize > 0 && threads > 0, "batch size and thread count must be positive")
        try preset.validate()
        self.batchSize = batchSize
        self.batchCount = (urls.count + batchSize - 1) / batchSize
        self.maxBatchesInFlight = Swift.max(1, maxBatchesInFlight ?? threads + 1)
        let state = PoolState(batchCount: batchCount, maxInFlight: self.maxBatchesInFlight)
        self.state = state
        let size = batchSize
        for _ in 0..<Swift.min(threads, Swift.max(batchCount, 1)) {
            let worker = Thread {
                // Validated above, so this cannot throw.
                guard let preprocessor = try? ImagePreprocessor(preset: preset, maxPixels: maxPixels,
                                                                decodeBudget: decodeBudget,
                                                                reducedDecode: reducedDecode) else { return }
                while let batch = state.claim() {
                    let range = (batch * size)..<Swift.min((batch + 1) * size, urls.count)
                    state.complete(batch, Self.decode(urls, range, batch, preprocessor))
                }
            }
            worker.name = "spotcheck-decoder"
            worker.start()
        }
    }

    deinit { state.cancel() }

    /// The next batch in order, waiting for the workers if needed; nil after the last one or
    /// after ``cancel()``.
    /// - Returns: the batch, or nil when there are no more.
    public func next() -> DecodedBatch? { state.take() }

    /// Stops the workers after the batches they are decoding; ``next()`` then returns nil.
    public func cancel() { state.cancel() }

    /// The largest number of batches that were in flight at once so far (for monitoring;
    /// never above ``maxBatchesInFlight``).
    public var peakBatchesInFlight: Int { state.peakInFlight }

    private static func decode(_ urls: [URL], _ range: Range<Int>, _ batch: Int,
                               _ preprocessor: ImagePreprocessor) -> DecodedBatch {
        let size = 3 * preprocessor.preset.cropSize * preprocessor.preset.cropSize
        var values = [Float](repeating: 0, count: range.count * size)
        var indices: [Int] = []
        var failures: [ImageFailure] = []
        values.withUnsafeMutableBufferPointer { buffer in
            for index in range {
                let slot = UnsafeMutableBufferPointer(rebasing: buffer[(indices.count * size)..<((indices.count + 1) * size)])
                do throws(ImageDecodingError) {
                    try preprocessor.preprocess(contentsOf: urls[index], into: slot)
                    indices.append(index)
                } catch {
                    failures.append(ImageFailure(sampleIndex: index, error: error))
                }
            }
        }
        values.removeLast((range.count - indices.count) * size)
        let crop = preprocessor.preset.cropSize
        return DecodedBatch(batchIndex: batch,
                            images: ImageBatch(count: indices.count, channels: 3, height: crop, width: crop, values: values),
                            sampleIndices: indices, failures: failures)
    }
}

/// The pool's shared bookkeeping, guarded by one condition variable.
private final class PoolState: @unchecked Sendable {
    private let condition = NSCondition()
    private let batchCount: Int
    private let maxInFlight: Int
    private var nextToClaim = 0
    private var nextToDeliver = 0
    private var finished: [Int: DecodedBatch] = [:]
    private var cancelled = false
    private var peak = 0

    init(batchCount: Int, maxInFlight: Int) {
        self.batchCount = batchCount
        self.maxInFlight = maxInFlight
    }

    /// A worker's next batch, waiting while `maxInFlight` batches are ahead of the caller;
    /// nil when all are claimed or the pool is cancelled.
    func claim() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while !cancelled && nextToClaim < batchCount && nextToClaim - nextToDeliver >= maxInFlight {
            condition.wait()
        }
        guard !cancelled && nextToClaim < batchCount else { return nil }
        nextToClaim += 1
        peak = max(peak, nextToClaim - nextToDeliver)
        return nextToClaim - 1
    }

    func complete(_ batch: Int, _ result: DecodedBatch) {
        condition.lock(); defer { condition.unlock() }
        finished[batch] = result
        condition.broadcast()
    }

    func take() -> DecodedBatch? {
        condition.lock(); defer { condition.unlock() }
        while !cancelled && nextToDeliver < batchCount && finished[nextToDeliver] == nil { condition.wait() }
        guard !cancelled, let result = finished.removeValue(forKey: nextToDeliver) else { return nil }
        nextToDeliver += 1
        condition.broadcast()
        return result
    }

    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        finished.removeAll()
        condition.broadcast()
    }

    var peakInFlight: Int {
        condition.lock(); defer { condition.unlock() }
        return peak
    }
}
