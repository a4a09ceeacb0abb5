import Extractor
import Foundation
import XCTest

/// Names that are not UTF-8 are reported as such, not silently dropped or called broken links.
final class DatasetNameTests: XCTestCase {
    func testNonUTF8FileAndClassNamesAreSkippedWithTheirReason() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-names-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let photo = try Data(contentsOf: ImagingFixtures.input("baseline420.jpg"))
        for folder in ["cats", "dogs"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
            try photo.write(to: root.appendingPathComponent("\(folder)/ok.jpg"))
        }
        // "caf\xE9.jpg" in cats/ and a class folder "\xFFbirds" (Latin-1 bytes, not UTF-8).
        func make(_ bytes: [UInt8], folder: Bool) {
            let path = Array(root.path.utf8) + [UInt8(ascii: "/")] + bytes + [0]
            path.withUnsafeBufferPointer { pointer in
                pointer.withMemoryRebound(to: CChar.self) { name in
                    guard let base = name.baseAddress else { return }
                    if folder { _ = mkdir(base, 0o755) } else {
                        let fd = open(base, O_WRONLY | O_CREAT, 0o644)
                        photo.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
                        close(fd)
                    }
                }
            }
        }
        make(Array("cats/caf".utf8) + [0xE9] + Array(".jpg".utf8), folder: false)
        make([0xFF] + Array("birds".utf8), folder: true)
        let dataset = try DatasetDiscovery.discover(at: root)
        XCTAssertEqual(dataset.classes, ["cats", "dogs"])
        XCTAssertEqual(dataset.samples.map(\.url.lastPathComponent), ["ok.jpg", "ok.jpg"])
        let reasons = dataset.skipped.map(\.reason)
        XCTAssertEqual(reasons.filter { $0.contains("not valid UTF-8") }.count, 2, "\(dataset.skipped)")
        XCTAssertFalse(reasons.contains { $0.contains("broken symbolic link") }, "\(reasons)")
        XCTAssertTrue(dataset.skipped.contains { $0.url.lastPathComponent == "caf\u{FFFD}.jpg" }, "\(dataset.skipped)")
    }
}
