import Extractor
import Foundation
import SpotcheckTestSupport
import XCTest

/// A weights file named for a backbone of another framework runs as that backbone's twin of the
/// file's framework, judged by files Keras 3 and torch wrote themselves.
final class WeightsFrameworkTests: XCTestCase {
    func testAKerasFileNamedForATorchvisionNetworkRunsAsItsKerasTwin() throws {
        for file in ["keras/tiny.weights.h5", "keras/tiny_legacy.h5"] {
            let url = try fixtureURL(file, in: .module)
            XCTAssertEqual(try BackboneRegistry.backbone(named: "vgg16", forWeightsAt: url), "keras_vgg16", file)
            XCTAssertEqual(try BackboneRegistry.backbone(named: "resnet152", forWeightsAt: url), "keras_resnet152", file)
            XCTAssertEqual(try BackboneRegistry.backbone(named: "keras_xception", forWeightsAt: url), "keras_xception", file)
            // torchvision's ResNet-18 has no Keras twin: refused, saying which backbones read the file.
            XCTAssertThrowsError(try BackboneRegistry.backbone(named: "resnet18", forWeightsAt: url)) { error in
                XCTAssertEqual(error as? BackboneError, .otherFrameworksWeights(
                    backbone: "resnet18", path: url.path, framework: "Keras .h5", hint: "the keras_* backbones read Keras files"))
                XCTAssertTrue("\(error)".contains("spotcheck models"), "\(error)")
            }
        }
    }

    func testATorchFileNamedForAKerasApplicationRunsAsItsTorchvisionTwin() throws {
        for file in ["checkpoints/small_zip.pt", "checkpoints/small_legacy.pt", "checkpoints/small.safetensors"] {
            let url = try fixtureURL(file, in: .module)
            XCTAssertEqual(try BackboneRegistry.backbone(named: "keras_vgg19", forWeightsAt: url), "vgg19", file)
            XCTAssertEqual(try BackboneRegistry.backbone(named: "keras_densenet121", forWeightsAt: url), "densenet121", file)
            XCTAssertEqual(try BackboneRegistry.backbone(named: "resnet50", forWeightsAt: url), "resnet50", file)
            XCTAssertThrowsError(try BackboneRegistry.backbone(named: "keras_resnet50v2", forWeightsAt: url), file) { error in
                guard case .otherFrameworksWeights(let backbone, _, let framework, _) = error as? BackboneError else {
                    return XCTFail("\(error)")
                }
                XCTAssertEqual(backbone, "keras_resnet50v2")
                XCTAssertEqual(framework, "PyTorch or safetensors")
            }
        }
    }

    func testAFileOfNoKnownFormatKeepsItsNameSoThatLoadingSaysWhy() throws {
        let folder = try scratchDirectory(self, prefix: "framework-twins")
        let text = folder.appendingPathComponent("notes.txt")
        try Data("not weights".utf8).write(to: text)
        XCTAssertEqual(try BackboneRegistry.backbone(named: "vgg16", forWeightsAt: text), "vgg16")
        XCTAssertEqual(try BackboneRegistry.backbone(named: "keras_vgg16", forWeightsAt: text), "keras_vgg16")
        let missing = folder.appendingPathComponent("absent.pth")
        XCTAssertEqual(try BackboneRegistry.backbone(named: "keras_vgg16", forWeightsAt: missing), "keras_vgg16")
        // A pipe is not opened (reading it could block): the name stays.
        let pipe = folder.appendingPathComponent("pipe")
        XCTAssertEqual(mkfifo(pipe.path, 0o600), 0)
        XCTAssertEqual(try BackboneRegistry.backbone(named: "vgg16", forWeightsAt: pipe), "vgg16")
        XCTAssertThrowsError(try BackboneRegistry.backbone(named: "vgg17", forWeightsAt: text))
    }
}
