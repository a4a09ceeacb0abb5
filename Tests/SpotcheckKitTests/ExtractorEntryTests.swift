import Extractor
import Foundation
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// `--extractors` entries: backbone, layout and weights file, the backbone chosen by the file's
/// framework (`vgg16=KERASFILE` runs `keras_vgg16`), and one file per backbone.
final class ExtractorEntryTests: XCTestCase {
    /// A file Keras 3 wrote (ExtractorTests' fixture; read here by path, not copied).
    private let kerasFile = repositoryRoot.appendingPathComponent("Tests/ExtractorTests/Fixtures/keras/tiny.weights.h5")

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

    func testClassifyTakesANamedWeightsFileLikeTheExtractors() throws {
        let photos = try ["birds", "fruit", "vegetables"].map { name in
            let folder = try demoFolder().appendingPathComponent(name)
            return folder.appendingPathComponent(try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first))
        }
        let file = try XCTUnwrap(BackboneRegistry.locateWeights(for: try BackboneRegistry.descriptor(named: "mobilenet_v2")).file,
                                 "run scripts/setup")
        var found = [[ImageNetClassification.Guess]](), named = [[ImageNetClassification.Guess]]()
        try ImageNetClassification.top(5, of: photos, backbone: "mobilenet_v2", threads: 2) { found.append($1) }
        try ImageNetClassification.top(5, of: photos, backbone: "mobilenet_v2=\(file.path)", threads: 2) { named.append($1) }
        XCTAssertEqual(found.count, 3)
        XCTAssertEqual(named, found)
        for guesses in found {
            XCTAssertEqual(guesses.map(\.probability), guesses.map(\.probability).sorted(by: >))
            XCTAssertLessThanOrEqual(guesses.map(\.probability).reduce(0, +), 1.0001)
        }
        XCTAssertThrowsError(try ImageNetClassification.top(5, of: photos, backbone: "resnet18=\(kerasFile.path)", threads: 1) { _, _ in })
    }
}
