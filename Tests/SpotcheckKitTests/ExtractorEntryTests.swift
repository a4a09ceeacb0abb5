import Extractor
import Foundation
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// `--extractors` entries: backbone, layout and weights file, the backbone chosen by the file's
/// framework (`vgg16=KERASFILE` runs `keras_vgg16`), and one file per backbone.
final class ExtractorEntryTests: XCTestCase {
    /// A file Keras 3 wrote (ExtractorTests' fixture; read here by path, not copied).
    private let kerasFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ExtractorTests/Fixtures/keras/tiny.weights.h5")

    func testEntriesKeepTheirLayoutAndFileAndRunTheFilesFramework() throws {
        let entry = try ExtractorEntry(parsing: "vgg16:flat= \(kerasFile.path)")
        XCTAssertEqual(entry.requestedBackbone, "vgg16")
        XCTAssertEqual(entry.backbone, "keras_vgg16")
        XCTAssertEqual(entry.layout, .flat)
        XCTAssertEqual(entry.file, kerasFile.standardizedFileURL)
        let plain = try ExtractorEntry(parsing: "mobilenet_v2")
        XCTAssertEqual([plain.backbone, plain.requestedBackbone], ["mobilenet_v2", "mobilenet_v2"])
        XCTAssertNil(plain.layout)
        XCTAssertNil(plain.path)
        XCTAssertEqual(try ExtractorEntry(parsing: "resnet50=~/r.pth").file?.path,
                       (NSHomeDirectory() as NSString).appendingPathComponent("r.pth"))
        XCTAssertThrowsError(try ExtractorEntry(parsing: "resnet50:grd=x.pth"))
        XCTAssertThrowsError(try ExtractorEntry(parsing: "resnet18=\(kerasFile.path)")) { error in
            XCTAssertTrue("\(error)".contains("keras_"), "\(error)")
        }
    }

    func testRecipesAndWeightsFilesNameTheBackboneThatRuns() throws {
        let entries = ["vgg16=\(kerasFile.path)", "vgg16:flat", "mobilenet_v2"]
        let recipes = try FeatureRecipe.expand(entries, layouts: [.average], fit: .crop)
        // `vgg16:flat` without a file stays torchvision's VGG-16: only a named file changes the network.
        XCTAssertEqual(recipes.map(\.name), ["keras_vgg16", "vgg16:flat", "mobilenet_v2"])
        XCTAssertEqual(try FeatureRecipe.weightsFiles(in: entries), ["keras_vgg16": kerasFile.standardizedFileURL])
        // The twin named twice with two files, or with an empty path, is refused naming both entries.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("other.h5").path
        let twice = ["vgg16=\(kerasFile.path)", "keras_vgg16=\(other)"]
        XCTAssertThrowsError(try FeatureRecipe.weightsFiles(in: twice)) { error in
            XCTAssertEqual(error as? SpotcheckError, .conflictingWeights(backbone: "keras_vgg16", entries: twice))
        }
        XCTAssertThrowsError(try FeatureRecipe.weightsFiles(in: ["resnet50="])) { error in
            XCTAssertEqual(error as? SpotcheckError, .conflictingWeights(backbone: "resnet50", entries: ["resnet50="]))
        }
    }
}
