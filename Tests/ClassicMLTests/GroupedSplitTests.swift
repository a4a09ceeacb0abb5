import ClassicML
import LinearAlgebra
import XCTest

/// Grouped stratified splitting: no group on both sides, class shares near the target, the
/// ungrouped split when every row is its own group, and scikit-learn's fold counts
/// (`Fixtures/group_splits_expected.json`, from `scripts/fixtures/sklearn_group_splits.py`).
final class GroupedSplitTests: XCTestCase {
    /// One labelled layout of the fixture.
    private struct Case {
        let labels: [Int]
        let groups: [Int]
        let classes: [Int]
        let folds: Int
        let fixture: [String: Any]

        init(_ fixture: [String: Any]) throws {
            labels = try XCTUnwrap(fixture["labels"] as? [Int])
            groups = fixture["groups"] as? [Int] ?? Array(labels.indices)
            classes = try XCTUnwrap(fixture["classes"] as? [Int])
            folds = try XCTUnwrap(fixture["folds"] as? Int)
            self.fixture = fixture
        }

        /// Rows of each class (in `classes` order) among `rows`.
        func classCounts(_ rows: [Int]) -> [Int] {
            classes.map { c in rows.filter { labels[$0] == c }.count }
        }

        /// The distinct groups of `rows`.
        func groupSet(_ rows: [Int]) -> Set<Int> { Set(rows.map { groups[$0] }) }
    }

    private func cases(_ key: String) throws -> [Case] {
        try XCTUnwrap(json("group_splits_expected.json")[key] as? [[String: Any]]).map(Case.init)
    }

    /// Asserts that `split` partitions the rows with no group on both sides.
    private func assertSeparated(_ split: (train: [Int], test: [Int]), _ data: Case, _ what: String) {
        XCTAssertEqual((split.train + split.test).sorted(), Array(data.labels.indices), what)
        XCTAssertEqual(split.train, split.train.sorted(), what)
        XCTAssertEqual(split.test, split.test.sorted(), what)
        XCTAssertEqual(data.groupSet(split.train).intersection(data.groupSet(split.test)), [], "\(what): a group on both sides")
    }

    func testTrainTestKeepsGroupsTogetherAndHoldsOutTheShareOfEveryClass() throws {
        for (index, data) in try cases("groups").enumerated() {
            for fraction in [0.2, 0.25, 0.5] {
                let split = try StratifiedSplit.trainTest(labels: data.labels, groups: data.groups, testFraction: fraction, seed: 7)
                assertSeparated(split, data, "case \(index), fraction \(fraction)")
                // Per class, the held-out groups (of pure groups) are within one group of the target.
                let heldGroups = data.groupSet(split.test)
                for c in data.classes {
                    let groupsOfClass = data.groupSet(data.labels.indices.filter { data.labels[$0] == c })
                    let held = Double(groupsOfClass.intersection(heldGroups).count)
                    XCTAssertLessThanOrEqual(abs(held - Double(groupsOfClass.count) * fraction), 1, "case \(index) class \(c)")
                }
            }
        }
    }

    func testRotationsOfOnePhotoSplitEveryAngleEvenly() throws {
        // Every group holds one row of every class (all four angles of a photo): whole groups
        // held out are the same share of every class.
        let data = try XCTUnwrap(cases("groups").first { $0.classes == [0, 90, 180, 270] })
        let split = try StratifiedSplit.trainTest(labels: data.labels, groups: data.groups, testFraction: 0.2)
        assertSeparated(split, data, "rotations")
        XCTAssertEqual(data.classCounts(split.test), [6, 6, 6, 6])
        for fold in try StratifiedSplit.kFold(labels: data.labels, groups: data.groups, folds: 5) {
            assertSeparated(fold, data, "rotations fold")
            XCTAssertEqual(data.classCounts(fold.test), [6, 6, 6, 6])
        }
    }

    func testGroupKFoldPartitionsGroupsAndBalancesAtLeastAsWellAsScikitLearn() throws {
        for (index, data) in try cases("groups").enumerated() {
            let folds = try StratifiedSplit.kFold(labels: data.labels, groups: data.groups, folds: data.folds, seed: 3)
            XCTAssertEqual(folds.count, data.folds)
            XCTAssertEqual(folds.flatMap(\.test).sorted(), Array(data.labels.indices), "case \(index): every row in one test fold")
            for fold in folds { assertSeparated(fold, data, "case \(index) fold") }
            let totals = data.classCounts(Array(data.labels.indices))
            var largest = 0.0
            for fold in folds {
                for (k, count) in data.classCounts(fold.test).enumerated() {
                    largest = max(largest, abs(Double(count) - Double(totals[k]) / Double(data.folds)))
                }
            }
            let sklearn = try XCTUnwrap(data.fixture["largest_deviation"] as? Double)
            XCTAssertLessThanOrEqual(largest, sklearn + 1e-9, "case \(index): class counts further from n_c/k than StratifiedGroupKFold's")
            // Pure groups are dealt evenly: a class's groups per fold differ by at most one.
            if index == 0 {
                for c in data.classes {
                    let groupsOfClass = data.groupSet(data.labels.indices.filter { data.labels[$0] == c })
                    let perFold = folds.map { data.groupSet($0.test).intersection(groupsOfClass).count }
                    XCTAssertLessThanOrEqual((perFold.max() ?? 0) - (perFold.min() ?? 0), 1, "class \(c): \(perFold)")
                }
            }
        }
    }

    func testSingletonGroupsGiveTheUngroupedSplitsAndScikitLearnsFoldCounts() throws {
        for (index, data) in try cases("rows").enumerated() {
            let singletons = Array(data.labels.indices)
            let grouped = try StratifiedSplit.kFold(labels: data.labels, groups: singletons, folds: data.folds, seed: 11)
            let plain = try StratifiedSplit.kFold(labels: data.labels, folds: data.folds, seed: 11)
            XCTAssertEqual(grouped.map(\.test), plain.map(\.test), "case \(index)")
            XCTAssertEqual(grouped.map(\.train), plain.map(\.train), "case \(index)")
            // How the ids are numbered does not matter: descending ids give the same folds.
            let descending = try StratifiedSplit.kFold(labels: data.labels, groups: singletons.map { 1000 - 3 * $0 },
                                                       folds: data.folds, seed: 11)
            XCTAssertEqual(descending.map(\.test), plain.map(\.test), "case \(index): renumbered ids")
            let expected = try XCTUnwrap(data.fixture["kfold"] as? [[Int]])
            XCTAssertEqual(grouped.map { data.classCounts($0.test) }, expected, "case \(index): StratifiedKFold's fold counts")

            let sklearnTest = try XCTUnwrap(data.fixture["train_test"] as? [String: [Int]])
            for (fraction, counts) in sklearnTest {
                let f = try XCTUnwrap(Double(fraction))
                let split = try StratifiedSplit.trainTest(labels: data.labels, groups: singletons, testFraction: f, seed: 5)
                let plainSplit = try StratifiedSplit.trainTest(labels: data.labels, testFraction: f, seed: 5)
                XCTAssertEqual(split.test, plainSplit.test)
                XCTAssertEqual(split.train, plainSplit.train)
                // scikit-learn apportions ceil(f·n) rows by largest remainder; we round per class.
                for (ours, theirs) in zip(data.classCounts(split.test), counts) {
                    XCTAssertLessThanOrEqual(abs(ours - theirs), 1, "case \(index) fraction \(fraction)")
                }
            }
        }
    }

    func testSplitsAreDeterministicPerSeed() throws {
        let data = try XCTUnwrap(cases("groups").first)
        let a = try StratifiedSplit.trainTest(labels: data.labels, groups: data.groups, testFraction: 0.25, seed: 1)
        XCTAssertEqual(try StratifiedSplit.trainTest(labels: data.labels, groups: data.groups, testFraction: 0.25, seed: 1).test, a.test)
        XCTAssertNotEqual(try StratifiedSplit.trainTest(labels: data.labels, groups: data.groups, testFraction: 0.25, seed: 2).test, a.test)
        let folds = try StratifiedSplit.kFold(labels: data.labels, groups: data.groups, seed: 1).map(\.test)
        XCTAssertEqual(try StratifiedSplit.kFold(labels: data.labels, groups: data.groups, seed: 1).map(\.test), folds)
        XCTAssertNotEqual(try StratifiedSplit.kFold(labels: data.labels, groups: data.groups, seed: 2).map(\.test), folds)
    }

    func testTooFewGroupsAndMismatchedLengthsAreRejected() {
        // Class 1 has three rows but all from one photo.
        let labels = [0, 0, 0, 1, 1, 1], groups = [10, 11, 12, 20, 20, 20]
        XCTAssertThrowsError(try StratifiedSplit.trainTest(labels: labels, groups: groups, testFraction: 0.3)) { error in
            guard case ClassicMLError.tooFewSamples(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("class 1"), message)
        }
        XCTAssertThrowsError(try StratifiedSplit.kFold(labels: labels, groups: [1, 2, 3, 4, 5, 5], folds: 3)) { error in
            guard case ClassicMLError.tooFewSamples(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("at most 2 folds"), message)
        }
        XCTAssertNoThrow(try StratifiedSplit.kFold(labels: labels, groups: [1, 2, 3, 4, 5, 5], folds: 2))
        for call in [{ _ = try StratifiedSplit.trainTest(labels: labels, groups: [1, 2], testFraction: 0.3) },
                     { _ = try StratifiedSplit.kFold(labels: labels, groups: [1, 2], folds: 2) },
                     { _ = try StratifiedSplit.kFold(labels: labels, groups: groups, folds: 1) }] {
            XCTAssertThrowsError(try call()) { error in
                guard case ClassicMLError.invalidParameter = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testCrossValidateUsesGroupedFolds() throws {
        let data = try FixtureDataset.load("iris")
        let entry = ClassifierSpec.nearestCentroid
        let plain = try XCTUnwrap(SpotCheck.crossValidate(entry, x: data.trainX, labels: data.trainY, folds: 4, seed: 9))
        let singletons = Array(data.trainY.indices)
        let grouped = try XCTUnwrap(SpotCheck.crossValidate(entry, x: data.trainX, labels: data.trainY, groups: singletons,
                                                            folds: 4, seed: 9))
        XCTAssertEqual(grouped.mean, plain.mean)
        XCTAssertEqual(grouped.std, plain.std)
        // A single group holding everything cannot be split: no estimate.
        XCTAssertNil(SpotCheck.crossValidate(entry, x: data.trainX, labels: data.trainY,
                                             groups: singletons.map { _ in 0 }, folds: 4))
    }
}
