import Extractor
import Foundation
import SpotcheckTestSupport
import XCTest

/// Discovery on temporary folders built from the fixture images.
final class DatasetDiscoveryTests: XCTestCase {
    private var temporary: URL!

    override func setUpWithError() throws {
        temporary = try scratchDirectory(self, prefix: "spotcheck-discovery")
    }

    private func file(_ relative: String, from source: URL = ImagingFixtures.input("la.png")) throws {
        let url = temporary.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: url)
    }

    private func folder(_ relative: String) throws {
        try FileManager.default.createDirectory(at: temporary.appendingPathComponent(relative),
                                                withIntermediateDirectories: true)
    }

    func testClassFolderLayoutSortsClassesAndFilesBytewise() throws {
        for path in ["zebra/b.PNG", "zebra/a.jpeg", "Apple/x.JPG", "apple/10.png", "apple/9.png", "apple/B.jpg"] {
            try file(path)
        }
        let dataset = try DatasetDiscovery.discover(at: temporary)
        XCTAssertEqual(dataset.classes, ["Apple", "apple", "zebra"])       // byte order: uppercase first
        XCTAssertEqual(dataset.samples.map { $0.url.lastPathComponent }, ["x.JPG", "10.png", "9.png", "B.jpg", "a.jpeg", "b.PNG"])
        XCTAssertEqual(dataset.samples.map(\.label), [0, 1, 1, 1, 2, 2])
        XCTAssertEqual(dataset.root.standardizedFileURL.path, temporary.standardizedFileURL.path)
        XCTAssertTrue(dataset.skipped.isEmpty)
        XCTAssertTrue(dataset.warnings.isEmpty)
    }

    func testCookbookImagesLayout() throws {
        try file("images/cats/1.jpg", from: ImagingFixtures.input("gray.jpg"))
        try file("images/dogs/1.png")
        try file("notes.txt", from: ImagingFixtures.input("la.png"))
        let dataset = try DatasetDiscovery.discover(at: temporary)
        XCTAssertEqual(dataset.classes, ["cats", "dogs"])
        XCTAssertEqual(dataset.root.lastPathComponent, "images")
        XCTAssertEqual(dataset.samples.count, 2)
        XCTAssertEqual(dataset.skipped.map { $0.url.lastPathComponent }, ["notes.txt"])
    }

    func testSkippedEntriesHiddenFilesSymlinksAndWarnings() throws {
        try file("a/1.png")
        try file("a/.hidden.png")
        try file("a/readme.txt")
        try file("a/nested/2.png")
        try file("b/1.jpg", from: ImagingFixtures.input("gray.jpg"))
        try file("stray.png")
        try folder("empty")
        try folder(".git")
        let elsewhere = temporary.appendingPathComponent(".store/real.png")
        try FileManager.default.createDirectory(at: elsewhere.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ImagingFixtures.input("la.png"), to: elsewhere)
        try FileManager.default.createSymbolicLink(at: temporary.appendingPathComponent("b/linked.png"), withDestinationURL: elsewhere)
        try FileManager.default.createSymbolicLink(at: temporary.appendingPathComponent("b/dangling.png"),
                                                   withDestinationURL: temporary.appendingPathComponent("nowhere.png"))
        let dataset = try DatasetDiscovery.discover(at: temporary)
        XCTAssertEqual(dataset.classes, ["a", "b"])
        XCTAssertEqual(dataset.samples.map { $0.url.lastPathComponent }, ["1.png", "1.jpg", "linked.png"])
        let skipped = Dictionary(uniqueKeysWithValues: dataset.skipped.map { ($0.url.lastPathComponent, $0.reason) })
        XCTAssertEqual(Set(skipped.keys), ["readme.txt", "nested", "stray.png", "dangling.png"])
        XCTAssertTrue(skipped["readme.txt"]?.contains("not a .jpg") ?? false)
        XCTAssertTrue(skipped["stray.png"]?.contains("not inside a class folder") ?? false)
        XCTAssertEqual(dataset.warnings.count, 1)
        XCTAssertTrue(dataset.warnings[0].contains("empty"), dataset.warnings[0])
    }

    func testErrorsAreEarlyAndTyped() throws {
        let missing = temporary.appendingPathComponent("missing")
        XCTAssertThrowsError(try DatasetDiscovery.discover(at: missing)) {
            XCTAssertEqual($0 as? DatasetError, .missing(path: missing.path))
        }
        try file("plain.png")
        XCTAssertThrowsError(try DatasetDiscovery.discover(at: temporary.appendingPathComponent("plain.png"))) {
            guard case .notAFolder = $0 as? DatasetError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try DatasetDiscovery.discover(at: temporary)) {
            guard case .noClassFolders = $0 as? DatasetError else { return XCTFail("\($0)") }
        }
        try file("only/1.png")
        try folder("vacant")
        XCTAssertThrowsError(try DatasetDiscovery.discover(at: temporary)) { error in
            XCTAssertEqual(error as? DatasetError, .tooFewClasses(path: temporary.standardizedFileURL.path,
                                                                  classesWithImages: ["only"]))
            XCTAssertTrue("\(error)".contains("at least two"))
        }
    }

    func testOrderAndFingerprintAreStableAndTrackChanges() throws {
        for index in [3, 1, 2] { try file("a/\(index).png"); try file("b/\(index).png") }
        let first = try DatasetDiscovery.discover(at: temporary)
        let again = try DatasetDiscovery.discover(at: temporary)
        XCTAssertEqual(first, again)
        XCTAssertEqual(first.fingerprint.count, 32)
        try file("b/4.png")
        let added = try DatasetDiscovery.discover(at: temporary)
        XCTAssertNotEqual(added.fingerprint, first.fingerprint)
        let rewritten = temporary.appendingPathComponent("b/4.png")
        try Data([1, 2, 3]).write(to: rewritten)
        XCTAssertNotEqual(try DatasetDiscovery.discover(at: temporary).fingerprint, added.fingerprint)
    }
}
