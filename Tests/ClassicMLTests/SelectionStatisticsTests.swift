import ClassicML
import Foundation
import XCTest

/// The statistics behind the verdict against scipy (scripts/fixtures/selection_statistics.py),
/// and the resamples they are computed on.
final class SelectionStatisticsTests: XCTestCase {
    private struct Expected: Decodable {
        struct Wilson: Decodable { let correct: Int; let total: Int; let lower: Double; let upper: Double }
        struct StudentT: Decodable { let t: Double; let df: Double; let p: Double }
        struct Corrected: Decodable { let differences: [Double]; let ratio: Double; let p: Double }
        struct McNemar: Decodable { let a_only: Int; let b_only: Int; let p: Double }
        let wilson: [Wilson]
        let student_t: [StudentT]
        let corrected_t: [Corrected]
        let mcnemar: [McNemar]
    }

    private func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixtureURL("selection_statistics_expected.json")))
    }

    func testWilsonIntervalsEqualScipy() throws {
        for case let c in try expected().wilson {
            let interval = WilsonInterval(correct: c.correct, total: c.total)
            XCTAssertEqual(interval.lower, c.lower, accuracy: 1e-12, "\(c.correct)/\(c.total)")
            XCTAssertEqual(interval.upper, c.upper, accuracy: 1e-12, "\(c.correct)/\(c.total)")
        }
    }

    func testStudentTPValuesEqualScipy() throws {
        for c in try expected().student_t {
            XCTAssertEqual(StudentT.twoSidedPValue(c.t, degrees: c.df), c.p, accuracy: 1e-10, "t \(c.t), df \(c.df)")
        }
    }

    func testCorrectedResampledTTestEqualsScipy() throws {
        for c in try expected().corrected_t {
            XCTAssertEqual(PairedComparison.correctedResampledTTest(differences: c.differences, testToTrainRatio: c.ratio),
                           c.p, accuracy: 1e-10)
        }
        // Identical fold scores cannot be told apart; a constant advantage always can.
        XCTAssertEqual(PairedComparison.correctedResampledTTest(differences: [0, 0, 0, 0, 0], testToTrainRatio: 0.25), 1)
        XCTAssertEqual(PairedComparison.correctedResampledTTest(differences: [0.125, 0.125, 0.125], testToTrainRatio: 0.5), 0)
    }

    func testMcNemarExactEqualsScipy() throws {
        for c in try expected().mcnemar {
            XCTAssertEqual(PairedComparison.mcNemarExact(aOnly: c.a_only, bOnly: c.b_only), c.p, accuracy: 1e-12,
                           "\(c.a_only) vs \(c.b_only)")
        }
    }

    func testRepeatedKFoldTestsEveryRowOncePerRepeatAndMaximumFoldsFitsTheSmallestClass() throws {
        let labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]
        XCTAssertEqual(try StratifiedSplit.maximumFolds(labels: labels), 4)
        let resamples = try StratifiedSplit.repeatedKFold(labels: labels, folds: 4, repeats: 3, seed: 7)
        XCTAssertEqual(resamples.count, 12)
        for round in 0..<3 {
            let tests = resamples[round * 4 ..< (round + 1) * 4].flatMap(\.test)
            XCTAssertEqual(tests.sorted(), Array(labels.indices), "repeat \(round) partitions the rows")
            for resample in resamples[round * 4 ..< (round + 1) * 4] {
                XCTAssertEqual(Set(resample.test.map { labels[$0] }), [0, 1, 2], "every class in every test fold")
            }
        }
        XCTAssertNotEqual(resamples[0].test, resamples[4].test, "each repeat has its own seed")
        // Groups: a class is the main label of as many groups as it has photos.
        let groups = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8]
        XCTAssertEqual(try StratifiedSplit.maximumFolds(labels: labels, groups: groups), 2)
    }
}
