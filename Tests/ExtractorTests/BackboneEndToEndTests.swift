import Foundation
import XCTest
import Extractor

/// From image file to logits: the imaging pipeline (decode, Pillow-exact resize and crop, the
/// backbone's normalisation) feeding each backbone, against PyTorch fed by Pillow from the same
/// files. The network tests use identical tensors, so a failure here alone points at preprocessing.
final class BackboneEndToEndTests: XCTestCase {
    func testEveryBackboneFromPhotoFilesMatchesPyTorch() throws {
        for name in BackboneRegistry.defaultNames {
            let reference = try BackboneReference.load(name)
            let backbone = try loadBackboneOrSkip(name)
            let preprocessor = try ImagePreprocessor(preset: backbone.descriptor.preprocessing)
            let side = backbone.descriptor.inputSize
            let size = 3 * side * side
            var values = [Float](repeating: 0, count: reference.endToEnd.count * size)
            try values.withUnsafeMutableBufferPointer { buffer in
                for (i, photo) in reference.endToEnd.enumerated() {
                    let url = try BackboneReference.fixtureURL(photo.source, folder: "imaging/inputs/photos")
                    try preprocessor.preprocess(contentsOf: url,
                                                into: UnsafeMutableBufferPointer(rebasing: buffer[i * size ..< (i + 1) * size]))
                }
            }
            let batch = ImageBatch(count: reference.endToEnd.count, channels: 3, height: side, width: side, values: values)
            let logits = try backbone.logits(batch: batch)
            XCTAssertGreaterThanOrEqual(reference.endToEnd.count, 5)
            for (i, photo) in reference.endToEnd.enumerated() {
                let got = logits.row(i)
                let scale = photo.logits.map(abs).max() ?? 1
                let worst = zip(got, photo.logits).map { abs($0 - $1) }.max() ?? .infinity
                XCTAssertLessThanOrEqual(worst, 1e-3 * scale, "\(name) \(photo.source): max |logit diff| \(worst)")
                let top5 = ImageNetClasses.top(5, of: got).map(\.index)
                XCTAssertEqual(top5, photo.top5, "\(name) \(photo.source): top-5")
            }
        }
    }

    func testClassNamesAreTheStandardOrder() throws {
        let names = try ImageNetClasses.names()
        XCTAssertEqual(names.count, 1000)
        XCTAssertTrue(names[22].hasPrefix("bald eagle"), names[22])
        XCTAssertTrue(names[249].hasPrefix("malamute"), names[249])
        XCTAssertTrue(names[340].hasPrefix("zebra"), names[340])
        let top = ImageNetClasses.top(2, of: [0, Float(log(3.0)), 0] + [Float](repeating: -100, count: 997))
        XCTAssertEqual(top.map(\.index), [1, 0])
        XCTAssertEqual(top[0].probability, 0.6, accuracy: 1e-5)
    }
}
