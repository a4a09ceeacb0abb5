import ClassicML
import Foundation
import LinearAlgebra
import XCTest

/// The fixtures of scripts/fixtures/sklearn_families_expected.py: scikit-learn's results for the
/// newer families on the demo set's pooled CNN features and on the wide matrix.
struct FamilyFixtures: Decodable {
    struct Split: Decodable { let train: [Int]; let test: [Int] }
    struct Result: Decodable { let accuracies: [Double]; let predictions: [Int] }
    struct DataSet: Decodable { let split: Split; let sklearn: [String: Result] }
    let versions: [String: String]
    let wide_checksum: Double
    let demo: DataSet
    let wide: DataSet

    static func load() throws -> FamilyFixtures {
        try JSONDecoder().decode(FamilyFixtures.self, from: Data(contentsOf: fixtureURL("families/families_expected.json")))
    }

    /// The demo features (165 × 512) and labels.
    static func demoRows() throws -> (x: Matrix, y: [Int]) {
        struct Stored: Decodable { let labels: [Int] }
        let data = try Data(contentsOf: fixtureURL("families/demo_squeezenet1_1.json"))
        return (try JSONDecoder().decode(PackedMatrix.self, from: data).matrix, try JSONDecoder().decode(Stored.self, from: data).labels)
    }
}

/// One data set cut by a fixture split.
struct SplitRows {
    let train: Matrix
    let trainY: [Int]
    let test: Matrix
    let testY: [Int]

    init(_ x: Matrix, _ y: [Int], _ split: FamilyFixtures.Split) {
        train = x.rows(at: split.train)
        trainY = split.train.map { y[$0] }
        test = x.rows(at: split.test)
        testY = split.test.map { y[$0] }
    }
}
