import Foundation
import ClassicML
import LinearAlgebra

/// Neighbour, centroid and tree cases (the cookbook's names). Each fits on a seeded stratified
/// 80 % of the rows and predicts the other 20 % inside the timed call (for kNN the prediction is
/// the work), and notes the test accuracy.
extension ClassifierBenchCase {
    static let core: [ClassifierBenchCase] = [
        ClassifierBenchCase(name: "RandomForestClf-100") { try fitAndScore(RandomForestClassifier(), $0, $1) },
        ClassifierBenchCase(name: "ExtraTreesClf-100") { try fitAndScore(ExtraTreesClassifier(), $0, $1) },
        ClassifierBenchCase(name: "KNeighborsClf-5") { try fitAndScore(KNeighborsClassifier(), $0, $1) },
        ClassifierBenchCase(name: "NearestCentroid") { try fitAndScore(NearestCentroid(), $0, $1) },
    ]

    /// Fits `model` on the 80 % split of (x, y), predicts the 20 %, and returns the accuracy note.
    private static func fitAndScore(_ model: some Classifier, _ x: Matrix, _ y: [Int]) throws -> String {
        var model = model
        let split = try StratifiedSplit.trainTest(labels: y, testFraction: 0.2)
        try model.fit(x.rows(at: split.train), split.train.map { y[$0] })
        let predicted = model.predict(x.rows(at: split.test))
        let accuracy = try ClassificationMetrics(truth: split.test.map { y[$0] }, predicted: predicted).accuracy
        return "fit 80 % + predict 20 %, test accuracy " + String(format: "%.3f", accuracy)
    }
}
