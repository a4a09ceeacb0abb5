import Extractor
import Foundation

/// Small JPEG copies of the winner's misclassified test images, for the HTML report.
enum Thumbnails {
    /// The longer side of a thumbnail, in pixels.
    static let side = 112

    /// Thumbnails of the test images `best` got wrong, by their report path; images that cannot
    /// be read again are left out (the report then shows their names only).
    /// - Parameters:
    ///   - best: the winner, with its test predictions.
    ///   - root: the dataset folder the paths are relative to (nil for feature files: no images).
    static func misclassified(by best: SpotcheckReport.BestPair, root: URL?) -> [String: Data] {
        guard let root else { return [:] }
        let decoder = ImageDecoder()
        var thumbnails = [String: Data]()
        for prediction in best.testPredictions ?? [] where prediction.trueClass != prediction.predictedClass {
            let url = root.appendingPathComponent(prediction.path)
            guard let image = try? decoder.decode(contentsOf: url),
                  let data = try? JPEGEncoder.encode(image.thumbnail(maxSide: side), quality: 80, name: url.path) else { continue }
            thumbnails[prediction.path] = data
        }
        return thumbnails
    }
}
