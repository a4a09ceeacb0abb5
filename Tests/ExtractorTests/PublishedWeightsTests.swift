import Foundation
import XCTest
import Extractor
import SpotcheckTestSupport

/// `spotcheck models --fetch-command`: every backbone whose weights users bring names its official
/// files, and the printed commands put a download exactly where the lookup finds it — or nothing.
final class PublishedWeightsTests: XCTestCase {
    private var broughtByUsers: [BackboneDescriptor] { BackboneRegistry.all.filter { !$0.fetchedBySetup } }

    func testEveryBackboneUsersBringNamesOneRecommendedOfficialFile() throws {
        XCTAssertFalse(broughtByUsers.isEmpty)
        for descriptor in broughtByUsers {
            let published = descriptor.published
            XCTAssertEqual(published.filter(\.isRecommended).count, 1, descriptor.name)
            XCTAssertEqual(published.first?.isRecommended, true, "\(descriptor.name): the recommended file comes first")
            for weights in published {
                XCTAssertTrue(weights.url.hasPrefix("https://") && weights.url.hasSuffix("/" + weights.file), weights.url)
                switch weights.digest {
                case .sha256Prefix(let digits):
                    guard case .torchHub(let prefix) = descriptor.weights else { return XCTFail(descriptor.name) }
                    XCTAssertEqual("\(prefix)-\(digits).pth", weights.file, "the lookup finds what the command fetches")
                case .md5(let md5):
                    XCTAssertEqual(md5.count, 32, weights.file)
                case .unpublished:
                    XCTAssertEqual(descriptor.name, "keras_mobilenet", "only Keras' MobileNet files come without a digest")
                case .huggingFaceHub(let repo):
                    XCTAssertEqual(descriptor.weights, .huggingFace(repo: repo), "the lookup finds what the command fetches")
                }
            }
        }
        for descriptor in BackboneRegistry.all where descriptor.fetchedBySetup {
            XCTAssertEqual(descriptor.published, [], descriptor.name)
        }
    }

    func testTheCommandsInstallWhereTheLookupLooksAndOnlyWithTheRightDigest() throws {
        for name in ["resnet50", "keras_vgg16"] {
            let scratch = try scratchDirectory(self)
            let descriptor = try BackboneRegistry.descriptor(named: name)
            let recommended = try XCTUnwrap(descriptor.published.first)
            let script = descriptor.fetchCommands.joined(separator: "\n")
            XCTAssertEqual(descriptor.fetchCommands.filter { $0.hasPrefix("curl ") }.count, 1, "only one download runs")
            let environment = ["TORCH_HOME": scratch.appendingPathComponent("torch").path,
                               "KERAS_HOME": scratch.appendingPathComponent("keras").path,
                               "SPOTCHECK_CACHE": scratch.appendingPathComponent("cache").path]
            // curl "downloads" some bytes; the digest tools are the real ones unless `shim` fakes the right digest.
            func run(shim: String) throws -> (status: Int32, stdout: String, stderr: String) {
                try runTool("/bin/bash", ["-c", "curl() { printf 'not the weights' > \"$3\"; }\n\(shim)\n" + script],
                            environment: environment)
            }
            let wrong = try run(shim: "")
            XCTAssertTrue(wrong.stderr.contains("wrong digest: nothing installed"), "\(name): \(wrong.stderr)")
            XCTAssertNil(BackboneRegistry.locateWeights(for: descriptor, environment: environment).file, name)

            let digest: String
            switch recommended.digest {
            case .sha256Prefix(let prefix): digest = prefix + "0000"
            case .md5(let md5): digest = md5
            case .unpublished: digest = ""
            case .huggingFaceHub: return XCTFail("\(name) is fetched by the Hub's client")
            }
            let right = try run(shim: "sha256sum() { echo \"\(digest)  $1\"; }; md5sum() { echo \"\(digest)  $1\"; }")
            XCTAssertEqual(right.stderr, "", name)
            let found = try XCTUnwrap(BackboneRegistry.locateWeights(for: descriptor, environment: environment).file, name)
            XCTAssertEqual(found.lastPathComponent, recommended.file)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: found.deletingLastPathComponent().path),
                           [recommended.file], "\(name): no .partial left")
        }
    }

    func testSetupBackbonesPointAtScriptsSetupWithTheirDigest() throws {
        let commands = try BackboneRegistry.descriptor(named: "mobilenet_v2").fetchCommands
        XCTAssertEqual(commands.last, "scripts/setup")
        XCTAssertTrue(commands[0].contains("b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"), commands[0])
    }
}
