import ArgumentParser
import ClassicML
import Foundation
import LinearAlgebra

/// One timed classifier workload: `fit` on the train rows, or `predict` on the test rows of a fit model.
struct BenchClassifierCase: Sendable {
    /// What is timed.
    enum Phase: String, Sendable { case fit, predict }
    /// The case's name, as selected with `--cases`.
    let name: String
    /// The timed phase.
    let phase: Phase
    /// A fresh, unfitted classifier.
    let make: @Sendable () -> any Classifier
}

/// `spotcheck bench classifiers`: fit / predict times of the classic classifiers on seeded
/// synthetic CNN-like features, as medians of repeated runs. Cases come from per-area lists
/// (`BenchClassifierCase.core`, …) so each area adds its own without touching the others.
struct BenchClassifiers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifiers",
        abstract: "Time classifier fit/predict on seeded synthetic features (medians).")

    /// Every known case.
    static var cases: [BenchClassifierCase] { BenchClassifierCase.core }

    @Option(help: "Rows of the synthetic set (1088 = flowers17).")
    var rows = 1088
    @Option(help: "Feature columns (25088 = VGG16 flattened; 1280 = pooled MobileNetV2).")
    var columns = 25088
    @Option(help: "Number of classes.")
    var classes = 17
    @Option(help: "Timed repetitions per case; the median is reported.")
    var repeats = 3
    @Option(help: "Comma-separated case names (default: all). Known: see --list.")
    var cases: String?
    @Flag(help: "List the case names and exit.")
    var list = false
    @Option(help: "Also write the data and split to <prefix>.{features.f32,labels.i32,json} for scripts/bench/sklearn_classifiers.py.")
    var export: String?

    func run() throws {
        if list {
            Self.cases.forEach { print($0.name) }
            return
        }
        let wanted = cases.map { Set($0.split(separator: ",").map(String.init)) }
        let selected = Self.cases.filter { wanted?.contains($0.name) ?? true }
        if let wanted, selected.count != wanted.count {
            throw ValidationError("unknown case in --cases; known: \(Self.cases.map(\.name).joined(separator: ", "))")
        }
        let data = SyntheticClassification(rows: rows, columns: columns, classes: classes)
        let split = try StratifiedSplit.trainTest(labels: data.y, testFraction: 0.2)
        if let export { try data.export(prefix: export, train: split.train, test: split.test) }
        let trainX = data.x.rows(at: split.train), testX = data.x.rows(at: split.test)
        let trainY = split.train.map { data.y[$0] }, testY = split.test.map { data.y[$0] }
        print("classifiers on \(rows)×\(columns), \(classes) classes, train \(trainY.count) / test \(testY.count), "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores, median of \(repeats)")
        for benchCase in selected {
            var times = [Double](), accuracy = 0.0
            for _ in 0..<max(1, repeats) {
                var model = benchCase.make()
                let start = DispatchTime.now()
                try model.fit(trainX, trainY)
                let fitted = DispatchTime.now()
                let predicted = model.predict(testX)
                let done = DispatchTime.now()
                let (from, to) = benchCase.phase == .fit ? (start, fitted) : (fitted, done)
                times.append(Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1e9)
                accuracy = try ClassificationMetrics(truth: testY, predicted: predicted).accuracy
            }
            let median = times.sorted()[times.count / 2]
            let label = benchCase.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + benchCase.phase.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            print(label + String(format: "median %8.3f s  (min %.3f)  test accuracy %.3f",
                                 median, times.min() ?? 0, accuracy))
        }
    }
}
