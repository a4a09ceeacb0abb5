import FileSafety
import Foundation
import XCTest

/// Outputs are checked against inputs and each other before any work, through links.
final class OutputPathsTests: XCTestCase {
    func testAnOutputThatIsAnInputByAnyNameIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("train.csv")
        try Data("class,f\n0,1\n".utf8).write(to: input)
        let symlink = folder.appendingPathComponent("alias.csv"), hardlink = folder.appendingPathComponent("hard.csv")
        try FileManager.default.createSymbolicLink(at: symlink, withDestinationURL: input)
        XCTAssertEqual(link(input.path, hardlink.path), 0)
        let viaDots = folder.appendingPathComponent("sub/../train.csv")
        for alias in [input, symlink, hardlink, viaDots] {
            XCTAssertThrowsError(try OutputPaths.check([alias], inputs: [input], replacing: true)) { error in
                guard case .outputIsInput? = error as? FileSafetyError else { return XCTFail("\(alias): \(error)") }
            }
        }
        let model = folder.appendingPathComponent("model.json")
        XCTAssertThrowsError(try OutputPaths.check([model, folder.appendingPathComponent("./model.json")], inputs: [input],
                                                   replacing: true)) { error in
            guard case .sameOutputTwice? = error as? FileSafetyError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try OutputPaths.check([folder.appendingPathComponent("missing/model.json")], inputs: [], replacing: true))
        XCTAssertThrowsError(try OutputPaths.check([input], inputs: [], replacing: false)) { error in
            XCTAssertEqual(error as? FileSafetyError, .alreadyExists(path: input.path))
        }
        XCTAssertNoThrow(try OutputPaths.check([model], inputs: [input], replacing: false))
        XCTAssertEqual(try String(contentsOf: input, encoding: .utf8), "class,f\n0,1\n")
    }
}
