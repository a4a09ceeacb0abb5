import ClassicML
import FeatureStore
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// The grid and the online learner on real pooled CNN features (squeezenet1_1 on the 165 demo
/// photos) against scikit-learn and river on the same rows and split, from the fixtures of
/// scripts/fixtures/demo_features_expected.py.
final class DemoFeaturesParityTests: XCTestCase {
    private struct Expected: Decodable {
        struct Split: Decodable { let train: [Int]; let test: [Int] }
        struct Scores: Decodable { let accuracy: Double?; let accuracies: [Double]?; let predictions: [Int]? }
        struct River: Decodable { let progressive_accuracy: Double; let test_pass_accuracy: Double }
        let split: Split
        let sklearn: [String: Scores]
        let river: River
    }

    private func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixtureURL("demo_features_expected.json")))
    }

    /// Deterministic entries within 1.5 points of scikit-learn (83 test photos: at most one
    /// photo apart), neighbours and centroids with identical predictions; seeded entries within
    /// the range scikit-learn's own seeds 0…4 span, widened by 1.5 points.
    func testEveryGridEntryAgreesWithScikitLearn() throws {
        let expected = try expected()
        let reader = try FeatureStoreReader(url: fixtureURL("demo_squeezenet1_1.h5"))
        let rows = try reader.readRows(0..<reader.rowCount)
        XCTAssertEqual([rows.features.rows, rows.features.columns], [165, 512])
        let train = rows.features.rows(at: expected.split.train), test = rows.features.rows(at: expected.split.test)
        let trainLabels = expected.split.train.map { rows.labels[$0] }, testLabels = expected.split.test.map { rows.labels[$0] }
        // The families of the original 17-entry grid (the newer ones: ClassicMLTests/FamiliesParityTests).
        let entries = try expected.sklearn.keys.sorted().map { try ClassifierSpec(parsing: $0) }
        XCTAssertEqual(Set(entries.map(\.description)), Set(expected.sklearn.keys))
        XCTAssertTrue(Set(entries).isSubset(of: ClassifierGrid.default.specs))
        for entry in entries {
            let sklearn = try XCTUnwrap(expected.sklearn[entry.description])
            let outcome = SpotCheck.evaluate(entry, train: train, trainLabels: trainLabels, test: test, testLabels: testLabels)
            let ours = try XCTUnwrap(outcome.accuracy, outcome.error ?? entry.description)
            if let theirs = sklearn.accuracy {
                XCTAssertEqual(ours, theirs, accuracy: 0.015, "\(entry.description): ours \(ours), scikit-learn \(theirs)")
            } else {
                let seeds = try XCTUnwrap(sklearn.accuracies)
                let low = (seeds.min() ?? 0) - 0.015, high = (seeds.max() ?? 1) + 0.015
                XCTAssertTrue((low...high).contains(ours), "\(entry.description): ours \(ours), scikit-learn's seeds \(seeds)")
            }
            if let predictions = sklearn.predictions {
                XCTAssertEqual(outcome.predictions, predictions, "\(entry.description): predictions")
            }
            print(String(format: "demo features %@: ours %.3f, scikit-learn %@", entry.description, ours,
                         sklearn.accuracy.map { String(format: "%.3f", $0) } ?? "\(sklearn.accuracies ?? [])"))
        }
    }

    /// `spotcheck incremental` on the same file, in the same order, within half a point of river:
    /// progressive validation over every row, then a test pass over the same rows.
    func testIncrementalAgreesWithRiver() throws {
        let river = try expected().river
        let store = try fixtureURL("demo_squeezenet1_1.h5").path
        let run = try runTool(try spotcheckExecutable(),
                              ["incremental", "--features", store, "--test-features", store, "--print-every", "0"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let percents = run.stdout.split(separator: "\n").filter { $0.hasPrefix("Final - Accuracy: ") }
            .compactMap { Double($0.dropFirst("Final - Accuracy: ".count).dropLast()) }
        XCTAssertEqual(percents.count, 2, run.stdout)
        XCTAssertEqual(percents.first ?? 0, river.progressive_accuracy * 100, accuracy: 0.5, "progressive")
        XCTAssertEqual(percents.last ?? 0, river.test_pass_accuracy * 100, accuracy: 0.5, "test pass")
    }
}
