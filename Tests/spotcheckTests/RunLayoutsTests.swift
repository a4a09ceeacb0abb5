import Foundation
import XCTest

/// `spotcheck run --layouts` and `--fit`: one extractor and one store per backbone × layout,
/// checked by h5py and numpy (an independent reading of the stores).
final class RunLayoutsTests: XCTestCase {
    func testLayoutsGetTheirOwnStoresWithDocumentedShapesAndOrder() throws {
        let tool = try spotcheckExecutable()
        let python = try testPython()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 4)
        let out = scratch.appendingPathComponent("reports")
        func run(_ layouts: String) throws -> (status: Int32, stdout: String, stderr: String) {
            try runTool(tool, ["run", "--images", dataset.path, "--out", out.path, "--extractors", "mobilenet_v2",
                               "--layouts", layouts, "--classifiers", "NearestCentroid,RidgeClf-1", "--test-fraction", "0.5"])
        }
        let first = try run("avg,grid,flat")
        XCTAssertEqual(first.status, 0, first.stderr)
        let extractions = try XCTUnwrap(try runReport(out)["extractions"] as? [[String: Any]])
        XCTAssertEqual(extractions.compactMap { $0["extractor"] as? String },
                       ["mobilenet_v2", "mobilenet_v2:grid2", "mobilenet_v2:flat"])
        XCTAssertEqual(extractions.compactMap { $0["layout"] as? String }, ["avg", "grid2", "flat"])
        XCTAssertEqual(extractions.compactMap { $0["dimension"] as? Int }, [1280, 5120, 62_720])

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
        let second = try run("flat")
        XCTAssertEqual(second.status, 0, second.stderr)
        let again = try XCTUnwrap(try runReport(out)["extractions"] as? [[String: Any]])
        XCTAssertEqual(again.compactMap { $0["extractor"] as? String }, ["mobilenet_v2:flat"])
        XCTAssertEqual(again.compactMap { $0["cached"] as? Bool }, [true])
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: avgStore.path)[.modificationDate] as? Date, before)

        let unknown = try run("avg,max")
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown feature layout \"max\""), unknown.stderr)
    }

    /// A winner trained on padded, flattened maps is saved with its layout and fit, and `predict`
    /// makes the same inputs from the image files.
    func testPredictUsesTheWinnersLayoutAndFit() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 5)
        let out = scratch.appendingPathComponent("reports")
        let run = try runTool(tool, ["run", "--images", dataset.path, "--out", out.path, "--extractors", "squeezenet1_1:flat",
                                     "--fit", "pad", "--classifiers", "RidgeClf-1,NearestCentroid", "--test-fraction", "0.4"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("features/squeezenet1_1-flat-pad.h5").path))
        let model = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("best_model.json")))
        let metadata = try XCTUnwrap((model as? [String: Any])?["metadata"] as? [String: String])
        XCTAssertEqual(metadata["layout"], "flat")
        XCTAssertEqual(metadata["fit"], "pad")
        XCTAssertEqual(metadata["backbone"], "squeezenet1_1")
        XCTAssertEqual(metadata["feature_dimension"], "86528")

        let best = try XCTUnwrap(try runReport(out)["best"] as? [String: Any])
        let predictions = try XCTUnwrap(best["test_predictions"] as? [[String: String]])
        let paths = predictions.compactMap { $0["path"] }.map { dataset.appendingPathComponent($0).path }
        let predicted = try runTool(tool, ["predict", "--model", out.appendingPathComponent("best_model.json").path] + paths)
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        let labels = predicted.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[1]) }
        XCTAssertEqual(labels, predictions.compactMap { $0["predicted"] })

        // A model whose metadata names another layout is refused with a message, not a crash.
        let edited = scratch.appendingPathComponent("edited.json")
        let text = try String(contentsOf: out.appendingPathComponent("best_model.json"), encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"layout\":\"flat\"", with: "\"layout\":\"avg\"").utf8).write(to: edited)
        let refused = try runTool(tool, ["predict", "--model", edited.path, paths[0]])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("was trained on 86528 features"), refused.stderr)
    }
}
