import FileSafety
import Foundation
import SpotcheckTestSupport
import XCTest

final class AtomicFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try scratchDirectory(self, prefix: "atomic")
    }

    /// Every name left in the folder (temporary files included: they start with a dot).
    private func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func testWritesTheWholeContentAndLeavesNoTemporaryFile() throws {
        let url = folder.appendingPathComponent("model.json")
        let data = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try AtomicFile.write(data, to: url)
        XCTAssertEqual(try Data(contentsOf: url), data)
        XCTAssertEqual(try names(), ["model.json"])
    }

    func testRefusesToReplaceWithoutBeingAskedAndKeepsTheOldBytes() throws {
        let url = folder.appendingPathComponent("report.json")
        try AtomicFile.write(Data("first".utf8), to: url)
        XCTAssertThrowsError(try AtomicFile.write(Data("second".utf8), to: url)) { error in
            XCTAssertEqual(error as? FileSafetyError, .alreadyExists(path: url.path))
        }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "first")
        XCTAssertEqual(try names(), ["report.json"], "the refused temporary file is removed")
        try AtomicFile.write(Data("second".utf8), to: url, replacing: true)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "second")
    }

    func testAMissingFolderIsAnIOErrorThatNamesThePath() throws {
        let url = folder.appendingPathComponent("missing/model.json")
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: url)) { error in
            guard case .io(_, _, let code)? = error as? FileSafetyError else { return XCTFail("\(error)") }
            XCTAssertEqual(code, ENOENT)
            XCTAssertTrue("\(error)".contains("No such file"), "\(error)")
        }
    }

    func testMoveIntoPlaceKeepsTheTemporaryFileWhenRefused() throws {
        let destination = folder.appendingPathComponent("store.h5")
        try Data("mine".utf8).write(to: destination)
        let temporary = AtomicFile.temporaryURL(for: destination)
        try Data("new".utf8).write(to: temporary)
        XCTAssertThrowsError(try AtomicFile.moveIntoPlace(temporary, destination, replacing: false))
        XCTAssertEqual(try String(contentsOf: destination, encoding: .utf8), "mine")
        XCTAssertEqual(try String(contentsOf: temporary, encoding: .utf8), "new")
        XCTAssertEqual(temporary.deletingLastPathComponent().standardizedFileURL.path, folder.standardizedFileURL.path)
    }
}
