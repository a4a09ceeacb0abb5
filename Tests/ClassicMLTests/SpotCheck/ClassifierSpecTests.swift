import ClassicML
import LinearAlgebra
import XCTest

/// Classifier names: parsing, the one canonical spelling, the grids, and the classifiers the
/// specs make.
final class ClassifierSpecTests: XCTestCase {
    /// The cookbook's 40 names, as its `final_report.json` spells them.
    private let cookbookNames = ["AdaBoostClf-100", "BaggingClf-100", "DecisionTreeClf", "ExtraTreeClf", "ExtraTreesClf-100",
                                 "GradientBoostingClf-100"] + (3...24).map { "KNeighborsClf-\($0)" }
        + ["LinearSVC-0.001", "LinearSVC-0.01", "LinearSVC-1", "LinearSVC-10", "LogisticRegression", "PAClf",
           "RandomForestClf-100", "RidgeClf-0.001", "RidgeClf-0.01", "RidgeClf-1", "RidgeClf-10", "SGDClf"]

    func testTheCookbookGridHasTheCookbooksFortyNames() throws {
        XCTAssertEqual(ClassifierGrid.cookbook.specs.map(\.description), cookbookNames)
        for name in cookbookNames { XCTAssertEqual(try ClassifierSpec(parsing: name).description, name) }
    }

    func testTheDefaultGridIsTodaysSeventeenPlusTheQuickNewFamiliesAndTheFullGridHoldsEverything() throws {
        let names = ClassifierGrid.default.specs.map(\.description)
        XCTAssertEqual(Array(names.prefix(17)), [
            "LogisticRegression", "LinearSVC-0.001", "LinearSVC-0.01", "LinearSVC-0.1", "LinearSVC-1", "KNeighborsClf-1",
            "KNeighborsClf-3", "KNeighborsClf-5", "KNeighborsClf-7", "RandomForestClf-100", "ExtraTreesClf-100", "SGDClf",
            "PAClf", "RidgeClf-0.1", "RidgeClf-1", "RidgeClf-10", "NearestCentroid"])
        XCTAssertEqual(Array(names.dropFirst(17)), ["DecisionTreeClf", "ExtraTreeClf", "SVC", "MLPClf", "GaussianNB", "LDA"])
        XCTAssertEqual(Set(ClassifierGrid.full.specs.map(\.family)), Set(ClassifierFamily.allCases))
        let full = ClassifierGrid.full.specs
        XCTAssertEqual(Set(full), Set(ClassifierGrid.default.specs + ClassifierGrid.cookbook.specs
                                          + [.histGradientBoosting(), .logisticRegressionCV()]))
        XCTAssertEqual(full.count, Set(full).count, "no entry twice")
        XCTAssertEqual(try ClassifierGrid(parsing: "Cookbook"), .cookbook)
        XCTAssertThrowsError(try ClassifierGrid(parsing: "big")) { error in
            XCTAssertTrue("\(error)".contains("default, cookbook, full"), "\(error)")
        }
    }

    func testParameterFormsParseAndPrintCanonically() throws {
        let cases: [(String, ClassifierSpec, String)] = [
            ("SVC:C=10,gamma=0.001", .svc(c: 10, gamma: .value(0.001)), "SVC:C=10,gamma=0.001"),
            ("KNeighborsClf:k=9,weights=distance", .kNeighbors(k: 9, weights: .distance), "KNeighborsClf:k=9,weights=distance"),
            ("KNeighborsClf-9:weights=distance", .kNeighbors(k: 9, weights: .distance), "KNeighborsClf:k=9,weights=distance"),
            ("KNeighborsClf:k=7", .kNeighbors(k: 7), "KNeighborsClf-7"),
            ("kneighborsclassifier:K=4", .kNeighbors(k: 4), "KNeighborsClf-4"),
            ("SVC", .svc(), "SVC"),
            ("SVC:gamma=auto", .svc(gamma: .auto), "SVC:gamma=auto"),
            ("SVC:C=1", .svc(), "SVC"),
            ("LinearSVC", .linearSVC(c: 1), "LinearSVC-1"),
            ("LogisticRegression-0.5", .logisticRegression(c: 0.5), "LogisticRegression-0.5"),
            ("LogisticRegression:C=1", .logisticRegression(), "LogisticRegression"),
            ("RandomForestClf:trees=50,max_depth=8", .randomForest(trees: 50, maxDepth: 8), "RandomForestClf:trees=50,max_depth=8"),
            ("DecisionTreeClf:max_depth=none", .decisionTree(), "DecisionTreeClf"),
            ("BaggingClf", .bagging(trees: 10), "BaggingClf-10"),
            ("GaussianNB:var_smoothing=1e-5", .gaussianNB(varSmoothing: 1e-5), "GaussianNB:var_smoothing=1e-05"),
            ("MLPClassifier:hidden=50", .mlp(hidden: 50), "MLPClf:hidden=50"),
            (" LDA ", .lda, "LDA"),
            ("HistGradientBoostingClf:max_iter=20,learning_rate=0.3", .histGradientBoosting(iterations: 20, learningRate: 0.3),
             "HistGradientBoostingClf:max_iter=20,learning_rate=0.3"),
        ]
        for (text, spec, canonical) in cases {
            XCTAssertEqual(try ClassifierSpec(parsing: text), spec, text)
            XCTAssertEqual(spec.description, canonical, text)
        }
    }

    /// `description` reads back to the same spec for every grid entry and a spread of parameter
    /// values, and the classifier a spec makes reports that same name (one name per configuration).
    func testDescriptionRoundTripsAndIsTheClassifiersName() throws {
        var specs = ClassifierGrid.full.specs
        specs += [.svc(c: 0.3, gamma: .value(1e-7)), .svc(gamma: .auto), .kNeighbors(k: 2, weights: .distance, metric: .cosine),
                  .sgd(loss: .log, alpha: 0.25), .ridge(alpha: 123.456), .linearSVC(c: 1e-9), .extraTrees(trees: 3, maxDepth: 2),
                  .adaBoost(estimators: 7, learningRate: 0.5), .gradientBoosting(estimators: 5, learningRate: 0.2, maxDepth: 2),
                  .histGradientBoosting(maxLeafNodes: 8), .mlp(hidden: 3, alpha: 0, maxIterations: 9), .extraTree(maxDepth: 4),
                  .logisticRegressionCV(folds: 3), .passiveAggressive(c: 0.01), .logisticRegression(c: 1e20)]
        for spec in specs {
            XCTAssertEqual(try ClassifierSpec(parsing: spec.description), spec, spec.description)
            XCTAssertEqual(spec.makeClassifier(seed: 3).name, spec.description)
            XCTAssertEqual(spec.standardized, spec.family.standardized)
        }
        XCTAssertEqual(ClassifierSpec.format(0.001), "0.001")
        XCTAssertEqual(ClassifierSpec.format(10), "10")
        XCTAssertEqual(ClassifierSpec.format(0.1 + 0.2), "0.30000000000000004", "shortest text that reads back exactly")
    }

    func testEveryFamilyListsItsParametersWithDefaultsThatParse() throws {
        for family in ClassifierFamily.allCases {
            XCTAssertEqual(try ClassifierSpec(parsing: family.name), family.defaultSpec)
            let assignments = family.parameters.map { "\($0.name)=\($0.defaultValue)" }.joined(separator: ",")
            let text = assignments.isEmpty ? family.name : "\(family.name):\(assignments)"
            XCTAssertEqual(try ClassifierSpec(parsing: text), family.defaultSpec, text)
        }
        XCTAssertEqual(ClassifierFamily.kNeighbors.parameters.map(\.name), ["k", "weights", "metric"])
        XCTAssertEqual(ClassifierFamily.svc.parameters.map(\.defaultValue), ["1", "scale"])
    }

    func testBadNamesSayWhatIsAccepted() {
        let cases: [(String, String)] = [
            ("Nope-3", "the families are"), ("SVM", "SVC:C=10,gamma=0.001"), ("KNeighborsClf-0", "k must be a whole number ≥ 1"),
            ("KNeighborsClf-2.5", "k must be a whole number ≥ 1"), ("LinearSVC--1", "C must be a number > 0"),
            ("LinearSVC-inf", "C must be a number > 0"), ("SVC:gamma=wide", "scale | auto | a number > 0"),
            ("SVC:C=1,C=2", "C is given twice"), ("SVC:degree=3", "unknown parameter degree; SVC takes C"),
            ("SVC-3", "takes no value after a dash"), ("LDA:x=1", "LDA takes no parameters"),
            ("KNeighborsClf-3:k=4", "k is given twice"), ("SVC:C", "expected param=value"),
            ("KNeighborsClf:weights=heavy", "uniform | distance"), ("", "(empty name)"),
        ]
        for (text, phrase) in cases {
            XCTAssertThrowsError(try ClassifierSpec(parsing: text), text) { error in
                guard case ClassicMLError.invalidParameter(let message) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(message.contains(phrase), "\(text): \(message)")
            }
        }
    }

    func testListsSplitOnCommasBetweenNamesOnly() throws {
        XCTAssertEqual(try ClassifierSpec.list(parsing: "SVC:C=10,gamma=0.001,LDA, KNeighborsClf-3 ,LDA"),
                       [.svc(c: 10, gamma: .value(0.001)), .lda, .kNeighbors(k: 3)])
        XCTAssertEqual(try ClassifierSpec.list(parsing: "LinearSVC-0.05,NearestCentroid,LinearSVC-0.01"),
                       [.linearSVC(c: 0.05), .nearestCentroid, .linearSVC(c: 0.01)])
        XCTAssertThrowsError(try ClassifierSpec.list(parsing: " , "))
        XCTAssertThrowsError(try ClassifierSpec.list(parsing: "LDA,gamma=1"), "a parameter needs a NAME: before it")
    }

    /// A spec made with a seed fits reproducibly, and standardised specs are fitted on scaled input
    /// by `SpotCheck.evaluate` (a scale-sensitive model then ignores a feature's units).
    func testSpotCheckStandardisesWhereTheSpecSays() throws {
        let data = try FixtureDataset.load("wine")
        var stretched = data.trainX, stretchedTest = data.testX
        for i in 0..<stretched.rows { stretched[i, 0] *= 1000 }
        for i in 0..<stretchedTest.rows { stretchedTest[i, 0] *= 1000 }
        for spec in [ClassifierSpec.svc(), .mlp(hidden: 8, maxIterations: 30)] {
            let plain = SpotCheck.evaluate(spec, seed: 5, train: data.trainX, trainLabels: data.trainY, test: data.testX,
                                           testLabels: data.testY)
            let scaled = SpotCheck.evaluate(spec, seed: 5, train: stretched, trainLabels: data.trainY, test: stretchedTest,
                                            testLabels: data.testY)
            XCTAssertNil(plain.error)
            XCTAssertEqual(plain.predictions, scaled.predictions, "\(spec): standardised input does not see units")
            XCTAssertEqual(plain.name, spec.description)
        }
    }
}
