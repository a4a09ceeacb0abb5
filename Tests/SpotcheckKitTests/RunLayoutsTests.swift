import Extractor
import Foundation
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// Feature layouts and fits: one extractor and one store per backbone × layout, checked by h5py
/// and numpy (an independent reading of the stores), and a saved winner that keeps its layout.
final class RunLayoutsTests: XCTestCase {
    private func configuration(_ dataset: URL, out: URL, layouts: [FeatureLayout]) throws -> SpotcheckConfiguration {
        var configuration = try SpotcheckConfiguration.images(dataset, extractors: ["mobilenet_v2"],
                                                              classifiers: ["NearestCentroid", "RidgeClf-1"], out: out,
                                                              testFraction: 0.5)
        configuration.recipes = try FeatureRecipe.expand(["mobilenet_v2"], layouts: layouts, fit: .crop)
        return configuration
    }

    func testLayoutsGetTheirOwnStoresWithDocumentedShapesAndOrder() throws {
        let python = try testPython()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 4)
        let out = scratch.appendingPathComponent("reports")
        let first = try SpotcheckRun(try configuration(dataset, out: out, layouts: [.average, .grid(2), .flat])).execute()
        XCTAssertEqual(first.report.extractions.map(\.extractor), ["mobilenet_v2", "mobilenet_v2:grid2", "mobilenet_v2:flat"])
        XCTAssertEqual(first.report.extractions.map(\.layout), ["avg", "grid2", "flat"])
        XCTAssertEqual(first.report.extractions.map(\.dimension), [1280, 5120, 62_720])

        // h5py reads the three stores: their attributes name the layout, and numpy recomputes the
        // average and the 2×2 grid (cells 0..<4 and 3..<7, as PyTorch's adaptive pooling) from the
        // flat map, channel-major.
        let check = try runTool(python, ["-c", """
            import sys, h5py, numpy as np
            folder = sys.argv[1]
            stores = {name: h5py.File(folder + "/" + name + ".h5", "r")
                      for name in ("mobilenet_v2", "mobilenet_v2-grid2", "mobilenet_v2-flat")}
            assert [s.attrs["layout"] for s in stores.values()] == ["avg", "grid2", "flat"], [s.attrs["layout"] for s in stores.values()]
            paths = [list(s["paths"].asstr()) for s in stores.values()]
            assert paths[0] == paths[1] == paths[2]
            flat = stores["mobilenet_v2-flat"]["features"][:].astype(np.float64).reshape(-1, 1280, 7, 7)
            avg = stores["mobilenet_v2"]["features"][:]
            grid = stores["mobilenet_v2-grid2"]["features"][:].reshape(-1, 1280, 2, 2)
            assert np.allclose(avg, flat.mean(axis=(2, 3)), rtol=1e-5, atol=1e-5)
            cells = [slice(0, 4), slice(3, 7)]
            for a in range(2):
                for b in range(2):
                    expected = flat[:, :, cells[a], cells[b]].mean(axis=(2, 3))
                    assert np.allclose(grid[:, :, a, b], expected, rtol=1e-5, atol=1e-5), (a, b)
            print("ok", flat.shape[0])
            """, out.appendingPathComponent("features").path])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.hasPrefix("ok 12"), check.stdout)

        // Asking for one layout again reuses its store and leaves the others alone.
        let avgStore = out.appendingPathComponent("features/mobilenet_v2.h5")
        let before = try FileManager.default.attributesOfItem(atPath: avgStore.path)[.modificationDate] as? Date
        let second = try SpotcheckRun(try configuration(dataset, out: out, layouts: [.flat])).execute()
        XCTAssertEqual(second.report.extractions.map(\.extractor), ["mobilenet_v2:flat"])
        XCTAssertEqual(second.report.extractions.map(\.cached), [true])
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: avgStore.path)[.modificationDate] as? Date, before)
    }

    /// A winner trained on padded, flattened maps is saved with its layout and fit, and the saved
    /// model makes the same inputs from the image files.
    func testTheSavedModelUsesTheWinnersLayoutAndFit() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 5)
        let out = scratch.appendingPathComponent("reports")
        var configuration = try SpotcheckConfiguration.images(dataset, extractors: ["squeezenet1_1"],
                                                              classifiers: ["RidgeClf-1", "NearestCentroid"], out: out,
                                                              testFraction: 0.4)
        configuration.recipes = [FeatureRecipe(backbone: "squeezenet1_1", layout: .flat, fit: .pad)]
        let result = try SpotcheckRun(configuration).execute()
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("features/squeezenet1_1-flat-pad.h5").path))
        let modelFile = try XCTUnwrap(result.modelFile)
        let model = try ImageModel(contentsOf: modelFile, threads: 2)
        XCTAssertEqual(model.metadata.recipe, FeatureRecipe(backbone: "squeezenet1_1", layout: .flat, fit: .pad))
        XCTAssertEqual(model.metadata.featureDimension, 86_528)

        let predictions = try XCTUnwrap(result.report.best?.testPredictions)
        var labels = [String]()
        try model.predict(predictions.map { dataset.appendingPathComponent($0.path) }, batchSize: 4, threads: 2,
                          each: { labels.append($0.className) }, failed: { XCTFail("\($0)") })
        XCTAssertEqual(labels, predictions.map(\.predictedClass))

        // A model whose metadata names another layout is refused with a message, not a crash.
        let edited = scratch.appendingPathComponent("edited.json")
        let text = try String(contentsOf: modelFile, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"layout\":\"flat\"", with: "\"layout\":\"avg\"").utf8).write(to: edited)
        XCTAssertThrowsError(try ImageModel(contentsOf: edited, threads: 1)) { error in
            XCTAssertTrue("\(error)".contains("was trained on 86528 features"), "\(error)")
        }
    }
}
