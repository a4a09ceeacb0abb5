import ClassicML
import Foundation
import LinearAlgebra
import XCTest

/// One scikit-learn dataset fixture split as in `<name>.split.json`.
struct FixtureDataset {
    let trainX: Matrix
    let trainY: [Int]
    let testX: Matrix
    let testY: [Int]

    /// Loads `Fixtures/datasets/<name>.csv` (header `class,feature_0,…`) and its split.
    static func load(_ name: String) throws -> FixtureDataset {
        let text = try String(contentsOf: fixtureURL("datasets/\(name).csv"), encoding: .utf8)
        var labels = [Int](), rows = [[Float]]()
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            labels.append(try XCTUnwrap(Int(fields[0])))
            rows.append(try fields.dropFirst().map { try XCTUnwrap(Float(String($0))) })
        }
        let split = try json("datasets/\(name).split.json")
        let train = try XCTUnwrap(split["train"] as? [Int]), test = try XCTUnwrap(split["test"] as? [Int])
        let x = Matrix(rowArrays: rows)
        return FixtureDataset(trainX: x.rows(at: train), trainY: train.map { labels[$0] },
                              testX: x.rows(at: test), testY: test.map { labels[$0] })
    }
}

/// The URL of a file under the test target's `Fixtures` folder.
func fixtureURL(_ path: String) throws -> URL {
    try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent(path)
}

/// A JSON object fixture.
func json(_ path: String) throws -> [String: Any] {
    try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL(path))) as? [String: Any])
}

/// The scikit-learn expectations of `scripts/fixtures/sklearn_core_expected.py` for one dataset.
func sklearnExpected(_ dataset: String) throws -> [String: Any] {
    let all = try json("sklearn_core_expected.json")
    return try XCTUnwrap((all["datasets"] as? [String: Any])?[dataset] as? [String: Any])
}

/// The four fixture datasets.
let fixtureNames = ["iris", "wine", "breast_cancer", "digits"]
