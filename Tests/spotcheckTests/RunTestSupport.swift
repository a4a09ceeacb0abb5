import Foundation
import XCTest

/// The repository's demo set (made by scripts/setup).
func demoFolder() throws -> URL {
    let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/demo")
    guard FileManager.default.fileExists(atPath: demo.path) else {
        XCTFail("data/demo is missing: run scripts/setup")
        throw XCTSkip("no demo data")
    }
    return demo
}

/// A slice of the demo set in `folder/photos`: three classes × `perClass` real photos, plus a
/// text file posing as a JPEG.
func makeDemoSlice(in folder: URL, perClass: Int = 6) throws -> URL {
    let demo = try demoFolder()
    let dataset = folder.appendingPathComponent("photos")
    for name in ["birds", "fruit", "vegetables"] {
        let target = dataset.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let files = try FileManager.default.contentsOfDirectory(atPath: demo.appendingPathComponent(name).path).sorted()
        for file in files.prefix(perClass) {
            try FileManager.default.copyItem(at: demo.appendingPathComponent(name).appendingPathComponent(file),
                                             to: target.appendingPathComponent(file))
        }
    }
    try Data("not an image\n".utf8).write(to: dataset.appendingPathComponent("fruit/broken.jpg"))
    return dataset
}

/// The Python with h5py, numpy and jsonschema that scripts/test names in SPOTCHECK_TEST_PYTHON.
func testPython() throws -> String {
    guard let python = ProcessInfo.processInfo.environment["SPOTCHECK_TEST_PYTHON"] else {
        throw XCTSkip("SPOTCHECK_TEST_PYTHON is not set (scripts/test sets it to the venv with h5py and jsonschema)")
    }
    return python
}

/// `folder/final_report.json`, parsed.
func runReport(_ folder: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: folder.appendingPathComponent("final_report.json"))
    return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
}
