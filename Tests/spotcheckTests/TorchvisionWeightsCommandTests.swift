import Extractor
import Foundation
import SpotcheckTestSupport
import XCTest

/// torchvision ResNets from the user's own weights files: named on the command line, found where
/// torch hub keeps them, refused when they hold another network. The files are seeded random
/// ResNet-18 state dicts with torchvision's keys (the weights whose outputs ExtractorTests checks
/// against torchvision), written as safetensors — the reader sniffs the format, not the name.
final class TorchvisionWeightsCommandTests: XCTestCase {
    private func writeResNet18(to file: URL) throws {
        let layout = try XCTUnwrap(BackboneRegistry.descriptor(named: "resnet18").stateDictLayout)
        try SeededWeights.writeSafetensors(layout.map { ($0.key, $0.shape, SeededWeights.values(key: $0.key, shape: $0.shape)) },
                                           to: file)
    }

    func testRunWithANamedResNetFileRecordsItsDigest() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 4)
        let weights = scratch.appendingPathComponent("my resnet18.safetensors")
        try writeResNet18(to: weights)
        let out = scratch.appendingPathComponent("reports")
        let run = try runTool(tool, ["run", "--images", dataset.path, "--out", out.path, "--extractors",
                                    "resnet18=\(weights.path)", "--classifiers", "LogisticRegression", "--threads", "2"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try runReport(out)
        let extraction = try XCTUnwrap((report["extractions"] as? [[String: Any]])?.first)
        XCTAssertEqual(extraction["extractor"] as? String, "resnet18")
        XCTAssertEqual(extraction["dimension"] as? Int, 512)
        XCTAssertEqual(extraction["weights_sha256"] as? String, try SHA256.hexDigest(of: weights))
        XCTAssertEqual((report["best_features"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent }, "resnet18.h5")

        // The same file named for ResNet-50 is refused at its first misfitting tensor, both shapes named.
        let refused = try runTool(tool, ["run", "--images", dataset.path, "--out", scratch.appendingPathComponent("r50").path,
                                         "--extractors", "resnet50=\(weights.path)", "--classifiers", "LogisticRegression"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("layer1.0.conv1.weight") && refused.stderr.contains("[64, 64, 3, 3]")
                      && refused.stderr.contains("[64, 64, 1, 1]"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("r50/final_report.json").path))
    }

    func testModelsFindsTorchHubCheckpointsAndSaysWhereItLooked() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let hub = scratch.appendingPathComponent("torch/hub/checkpoints")
        try FileManager.default.createDirectory(at: hub, withIntermediateDirectories: true)
        let file = hub.appendingPathComponent("resnet18-f37072fd.pth")
        try writeResNet18(to: file)
        let environment = ["TORCH_HOME": scratch.appendingPathComponent("torch").path]
        let models = try runTool(tool, ["models"], environment: environment)
        XCTAssertEqual(models.status, 0, models.stderr)
        let lines = models.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("resnet18 ") && $0.contains("present") && $0.contains("11689512") },
                      models.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("resnet18 ") && $0.hasSuffix(file.path) }, models.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("resnet50 ") && $0.contains("not found")
                          && $0.contains("\(hub.path)/resnet50-*.pth") }, models.stdout)

        // `--extractors resnet18` alone finds it there.
        let dataset = try makeDemoSlice(in: scratch, perClass: 4)
        let run = try runTool(tool, ["run", "--images", dataset.path, "--out", scratch.appendingPathComponent("out").path,
                                     "--extractors", "resnet18", "--classifiers", "NearestCentroid", "--threads", "2"],
                              environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
    }
}
