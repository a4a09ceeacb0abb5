import Dispatch
import Extractor
import FeatureStore
import Foundation

/// End to end from image files: the decoder pool decodes and preprocesses batches on its
/// worker threads while the backbone runs the previous one, and each batch's features are
/// appended to a feature store (HDF5) in a temporary folder — what `run` does per backbone.
enum ModelEndToEnd {
    /// Images per second of one pass over `urls`.
    /// - Parameters:
    ///   - backbone: the network (its OpenMP team size is its `threads`).
    ///   - urls: the image files.
    ///   - batch: images per batch.
    ///   - decoders: decoder pool worker threads.
    ///   - folder: where the store is written (and removed).
    /// - Returns: images/s.
    static func rate(_ backbone: Backbone, urls: [URL], batch: Int, decoders: Int, folder: URL) throws -> Double {
        let url = folder.appendingPathComponent("\(backbone.name)-e2e.h5")
        defer { try? FileManager.default.removeItem(at: url) }
        let start = DispatchTime.now().uptimeNanoseconds
        let writer = try FeatureStoreWriter(creating: url, dimension: backbone.descriptor.featureDimension,
                                            labelNames: ["image"], bufferRows: batch * 2, overwrite: true)
        let pool = try DecoderPool(urls: urls, preset: backbone.descriptor.preprocessing, batchSize: batch,
                                   threads: decoders)
        var done = 0
        for decoded in pool where decoded.images.count > 0 {
            let features = try backbone.features(batch: decoded.images)
            try writer.append(features: features, labels: [Int](repeating: 0, count: features.rows),
                              paths: decoded.sampleIndices.map { urls[$0].lastPathComponent })
            done += features.rows
        }
        _ = try writer.finish()
        return Double(done) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Re-encodes every image of `urls` as a baseline JPEG (quality 90, alpha composited on
    /// white as the decoder does) into `folder`, so both engines decode JPEG.
    /// - Parameters:
    ///   - urls: the source images.
    ///   - folder: an empty folder.
    /// - Returns: the JPEG files.
    static func jpegCopies(of urls: [URL], in folder: URL) throws -> [URL] {
        let decoder = ImageDecoder()
        return try urls.enumerated().map { index, url in
            let target = folder.appendingPathComponent(String(format: "%05d.jpg", index))
            try JPEGEncoder.write(try decoder.decode(contentsOf: url), to: target, quality: 90)
            return target
        }
    }
}
