import ClassicML
import LinearAlgebra
import XCTest

/// The newer families against scikit-learn on real pooled CNN features (the demo set) and on a
/// wide cookbook-shape matrix, from scripts/fixtures/sklearn_families_expected.py. Each is fitted as
/// the grid fits it (`SpotCheck.evaluate`, standardised where its spec says).
///
/// - Deterministic estimators (GaussianNB, LDA, SVC) within 1.5 points of scikit-learn, with at
///   most one test prediction different.
/// - DecisionTree is deterministic here (features in index order) but not in scikit-learn, whose
///   random feature order breaks ties between equally good splits: within 1.5 points of the range
///   of scikit-learn's seeds. GradientBoosting breaks such ties in a seeded random order per node
///   as scikit-learn does (in index order it scored 3.6 points below every one of scikit-learn's
///   twelve seeds on the demo features): within 1.5 points of the range of scikit-learn's seeds.
/// - Randomised estimators (ExtraTree, Bagging, AdaBoost, HistGradientBoosting, MLP) inside the
///   range of scikit-learn's ten seeds, widened by 1.5 points (83 or 85 test rows: one row).
final class FamiliesParityTests: XCTestCase {
    private let tolerance = 0.015
    private let deterministic: Set<String> = ["GaussianNB", "LDA", "SVC"]

    func testTheWideMatrixIsScikitLearnsMatrix() throws {
        let fixtures = try FamilyFixtures.load()
        let (x, _) = WideParityMatrix.make()
        XCTAssertEqual(x.values.reduce(0.0) { $0 + Double($1) }, fixtures.wide_checksum, accuracy: 1e-6)
        XCTAssertNotNil(fixtures.versions["scikit-learn"])
    }

    func testDemoFeatures() throws {
        let fixtures = try FamilyFixtures.load()
        let (x, y) = try FamilyFixtures.demoRows()
        XCTAssertEqual([x.rows, x.columns], [165, 512])
        try check(SplitRows(x, y, fixtures.demo.split), fixtures.demo, label: "demo")
    }

    func testWideMatrix() throws {
        let fixtures = try FamilyFixtures.load()
        let (x, y) = WideParityMatrix.make()
        try check(SplitRows(x, y, fixtures.wide.split), fixtures.wide, label: "wide")
    }

    private func check(_ rows: SplitRows, _ expected: FamilyFixtures.DataSet, label: String) throws {
        XCTAssertEqual(Set(expected.sklearn.keys), Set(["GaussianNB", "LDA", "SVC", "DecisionTreeClf", "GradientBoostingClf-100",
                                                        "HistGradientBoostingClf", "ExtraTreeClf", "BaggingClf-100",
                                                        "AdaBoostClf-100", "MLPClf"]))
        for (name, sklearn) in expected.sklearn.sorted(by: { $0.key < $1.key }) {
            let spec = try ClassifierSpec(parsing: name)
            let outcome = SpotCheck.evaluate(spec, train: rows.train, trainLabels: rows.trainY, test: rows.test,
                                             testLabels: rows.testY)
            let ours = try XCTUnwrap(outcome.accuracy, outcome.error ?? name)
            let low = (sklearn.accuracies.min() ?? 0) - tolerance, high = (sklearn.accuracies.max() ?? 1) + tolerance
            XCTAssertTrue((low...high).contains(ours), "\(label) \(name): ours \(ours), scikit-learn \(sklearn.accuracies)")
            let differing = zip(outcome.predictions, sklearn.predictions).filter { $0 != $1 }.count
            if deterministic.contains(name) {
                XCTAssertLessThanOrEqual(differing, 1, "\(label) \(name): \(differing) test predictions differ")
            }
            print(String(format: "%@ %@: ours %.3f, scikit-learn %@, %d of %d predictions differ from its seed 0", label, name,
                         ours, sklearn.accuracies.map { String(format: "%.3f", $0) }.joined(separator: " "), differing,
                         rows.testY.count))
        }
    }
}
