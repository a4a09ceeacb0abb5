import Foundation
import XCTest
import Extractor
import SpotcheckTestSupport

/// `spotcheck models --fetch-command`: every torch hub backbone names its official files, and the
/// printed commands put a download exactly where the lookup finds it — or nothing at all.
final class PublishedWeightsTests: XCTestCase {
    private var torchHubBackbones: [BackboneDescriptor] {
        BackboneRegistry.all.filter { if case .torchHub = $0.weights { return true } else { return false } }
    }

    func testEveryTorchHubBackboneNamesOneDefaultFileTheLookupAccepts() throws {
        XCTAssertFalse(torchHubBackbones.isEmpty)
        for descriptor in torchHubBackbones {
            let published = descriptor.published
            XCTAssertEqual(published.filter(\.isDefault).count, 1, descriptor.name)
            XCTAssertEqual(published.first?.isDefault, true, "\(descriptor.name): the default comes first")
            for weights in published {
                XCTAssertEqual(weights.url, "https://download.pytorch.org/models/" + weights.file)
                XCTAssertEqual(weights.sha256Prefix.count, 8, weights.file)
                XCTAssertEqual("\(descriptor.name)-\(weights.sha256Prefix).pth", weights.file)
            }
        }
        for descriptor in BackboneRegistry.all where descriptor.fetchedBySetup {
            XCTAssertEqual(descriptor.published, [], descriptor.name)
        }
    }

    func testTheDefaultCommandInstallsWhereTheLookupLooksAndOnlyWithTheRightDigest() throws {
        let scratch = try scratchDirectory(self)
        let descriptor = try BackboneRegistry.descriptor(named: "resnet50")
        let script = descriptor.fetchCommands.joined(separator: "\n")
        XCTAssertEqual(descriptor.fetchCommands.filter { $0.hasPrefix("curl ") }.count, 1, "only the default runs")
        let torchHome = scratch.appendingPathComponent("torch")
        // curl downloads some bytes; sha256sum is the real one unless `shim` fakes the right digest.
        func run(shim: String) throws -> (status: Int32, stdout: String, stderr: String) {
            let prelude = """
                curl() { printf 'not the weights' > "$3"; }
                \(shim)
                """
            return try runTool("/bin/bash", ["-c", prelude + "\n" + script],
                               environment: ["TORCH_HOME": torchHome.path, "SPOTCHECK_CACHE": scratch.path])
        }
        let folder = torchHome.appendingPathComponent("hub/checkpoints")
        let wrong = try run(shim: "")
        XCTAssertTrue(wrong.stderr.contains("wrong sha256: nothing installed"), wrong.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no file, no .partial left")
        XCTAssertNil(BackboneRegistry.locateWeights(for: descriptor, environment: ["TORCH_HOME": torchHome.path,
                                                                                  "SPOTCHECK_CACHE": scratch.path]).file)

        let prefix = try XCTUnwrap(descriptor.published.first).sha256Prefix
        let right = try run(shim: "sha256sum() { echo \"\(prefix)0000  $1\"; }")
        XCTAssertEqual(right.stderr, "")
        let found = BackboneRegistry.locateWeights(for: descriptor, environment: ["TORCH_HOME": torchHome.path,
                                                                                 "SPOTCHECK_CACHE": scratch.path]).file
        XCTAssertEqual(found?.lastPathComponent, "resnet50-11ad3fa6.pth")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["resnet50-11ad3fa6.pth"])
    }

    func testSetupBackbonesPointAtScriptsSetupWithTheirDigest() throws {
        let descriptor = try BackboneRegistry.descriptor(named: "mobilenet_v2")
        let commands = descriptor.fetchCommands
        XCTAssertEqual(commands.last, "scripts/setup")
        XCTAssertTrue(commands[0].contains("b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"), commands[0])
    }
}
