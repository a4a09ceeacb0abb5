import Foundation
import XCTest

/// A file under a test target's `Fixtures` folder.
/// - Parameters:
///   - name: the path inside `Fixtures`, e.g. `csv/floats.csv`.
///   - bundle: the test target's resource bundle (`Bundle.module`).
/// - Returns: its URL.
/// - Throws: when the bundle has no `Fixtures` folder.
public func fixtureURL(_ name: String, in bundle: Bundle) throws -> URL {
    try XCTUnwrap(bundle.url(forResource: "Fixtures", withExtension: nil), "no Fixtures folder in \(bundle.bundlePath)")
        .appendingPathComponent(name)
}

/// A JSON object fixture.
/// - Parameters:
///   - name: the path inside `Fixtures`.
///   - bundle: the test target's resource bundle.
/// - Returns: the parsed object.
/// - Throws: when the file is missing or not a JSON object.
public func jsonFixture(_ name: String, in bundle: Bundle) throws -> [String: Any] {
    try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL(name, in: bundle))) as? [String: Any])
}

/// A fresh scratch folder, removed when the test ends.
/// - Parameters:
///   - test: the running test.
///   - prefix: the start of the folder's name, for finding it while debugging.
/// - Returns: the folder.
/// - Throws: when it cannot be created.
public func scratchDirectory(_ test: XCTestCase, prefix: String = "spotcheck-tests") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}
