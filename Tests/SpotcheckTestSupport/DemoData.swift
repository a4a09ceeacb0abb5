import Foundation
import XCTest

/// The repository's root folder (this file is `Tests/SpotcheckTestSupport/DemoData.swift`).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The repository's demo set (made by scripts/setup): 165 real photos in five classes.
/// - Throws: a failure and a skip when it is missing.
public func demoFolder() throws -> URL {
    let demo = repositoryRoot.appendingPathComponent("data/demo")
    guard FileManager.default.fileExists(atPath: demo.path) else {
        XCTFail("data/demo is missing: run scripts/setup")
        throw XCTSkip("no demo data")
    }
    return demo
}

/// A slice of the demo set in `folder/photos`: three classes × `perClass` real photos, plus a
/// text file posing as a JPEG (`fruit/broken.jpg`).
/// - Parameters:
///   - folder: where to make the slice.
///   - perClass: photos per class (the first ones by name).
/// - Returns: the slice's folder.
/// - Throws: when the demo set is missing or a copy fails.
public func makeDemoSlice(in folder: URL, perClass: Int = 6) throws -> URL {
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
