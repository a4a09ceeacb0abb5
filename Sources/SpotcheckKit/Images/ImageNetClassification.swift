import Extractor
import Foundation

/// The ImageNet classes a pretrained backbone sees in images (its own classifier head), the
/// quick check that weights and preprocessing are right — `spotcheck classify`.
public enum ImageNetClassification {
    /// One of an image's top classes.
    public struct Guess: Sendable, Equatable {
        /// The ImageNet class index (0…999).
        public var index: Int
        /// The class's name.
        public var name: String
        /// Its softmax probability.
        public var probability: Float
    }

    /// The `k` most probable ImageNet classes of each image.
    /// - Parameters:
    ///   - files: image files.
    ///   - backbone: the backbone's name, optionally with its weights file as `NAME=PATH` (an
    ///     ``ExtractorEntry``: a file of another framework runs the backbone's twin there).
    ///   - k: classes per image.
    ///   - batchSize: images per network batch.
    ///   - threads: threads for decoding and the network.
    ///   - each: receives each image with its guesses, in order.
    /// - Throws: `BackboneError`, an image's `ImageDecodingError`, or the class names' load error.
    public static func top(_ k: Int, of files: [URL], backbone name: String, batchSize: Int = 16, threads: Int,
                           each: (URL, [Guess]) throws -> Void) throws {
        let entry = try ExtractorEntry(parsing: name)
        let backbone = try BackboneRegistry.load(entry.backbone, file: entry.file, threads: threads)
        let names = try ImageNetClasses.names()
        let preprocessor = try ImagePreprocessor(preset: backbone.descriptor.preprocessing)
        let side = backbone.descriptor.inputSize
        let size = 3 * side * side
        for start in stride(from: 0, to: files.count, by: max(1, batchSize)) {
            let chunk = Array(files[start..<min(start + max(1, batchSize), files.count)])
            var values = [Float](repeating: 0, count: chunk.count * size)
            try values.withUnsafeMutableBufferPointer { buffer in
                for (index, file) in chunk.enumerated() {
                    let slot = UnsafeMutableBufferPointer(rebasing: buffer[index * size ..< (index + 1) * size])
                    try preprocessor.preprocess(contentsOf: file, into: slot)
                }
            }
            let logits = try backbone.logits(batch: ImageBatch(count: chunk.count, channels: 3, height: side, width: side,
                                                               values: values))
            for (index, file) in chunk.enumerated() {
                try each(file, ImageNetClasses.top(k, of: logits.row(index)).map {
                    Guess(index: $0.index, name: names[$0.index], probability: $0.probability)
                })
            }
        }
    }
}
