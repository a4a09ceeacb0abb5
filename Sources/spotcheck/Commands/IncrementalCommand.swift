import ArgumentParser
import ClassicML
import FeatureStore
import Foundation
import SpotcheckKit

/// `spotcheck incremental`: out-of-core learning from a CSV file or feature store with river's
/// semantics — `StandardScaler | OneVsRest(<learner>)`, progressive validation printed as the
/// cookbook does, then a test pass; memory stays flat whatever the number of rows.
struct IncrementalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incremental",
        abstract: "Learn online from a CSV file (river's StandardScaler | OneVsRest pipeline), in constant memory.",
        discussion: """
        Prints `Update {i} - Accuracy: {pct}%` every --print-every rows of progressive validation \
        (predict, then learn), `Final - Accuracy: {pct}%`, then the same lines for the --test pass \
        (predict only). Progress in rows/s goes to stderr. Files may be gzip-compressed.
        """
    )

    @Option(name: .customLong("csv"), help: "Training CSV (header line; one label column, the rest numeric features).")
    var csv: String?

    @Option(help: "Test CSV, evaluated after training (predict only).")
    var test: String?

    @Option(help: "Feature store (HDF5) to learn from instead of --csv; split by --test-fraction unless --test-features.")
    var features: String?

    @Option(help: "Feature store to test on (instead of splitting --features).")
    var testFeatures: String?

    @OptionGroup var split: SplitOptionGroup

    @Option(help: "Name of the label column (anywhere in the header).")
    var target = "class"

    @Option(help: "Binary learner inside one-vs-rest: logreg, pa, perceptron, sgd-hinge.")
    var learner: OnlineLearner?

    @Option(help: "Weight learning rate (default: river's, 0.01; 1 for perceptron).")
    var lr: Double?

    @Option(help: "L2 penalty (default 0).")
    var l2: Double?

    @Option(help: "Rows between progress lines on stdout (0: only the final line).")
    var printEvery = 100

    @Option(help: "Write the learned state here at the end (atomically).")
    var save: String?

    @Option(help: "Continue from a state written by --save.")
    var resume: String?

    @Flag(help: "Skip malformed rows (counted and reported on stderr) instead of stopping.")
    var skipBadRows = false

    func validate() throws {
        guard printEvery >= 0 else { throw ValidationError("--print-every must be ≥ 0") }
        guard (csv == nil) != (features == nil) else { throw ValidationError("give exactly one of --csv and --features") }
        if csv != nil, testFeatures != nil { throw ValidationError("--test-features goes with --features; use --test with --csv") }
        if features != nil, test != nil { throw ValidationError("--test goes with --csv; use --test-features with --features") }
    }

    func run() throws {
        try Advice.adding(for: .incremental) {
            if let save {
                let inputs = [csv, test, features, testFeatures].compactMap { $0 }.map { URL(fileURLWithPath: $0) }
                try IncrementalLearning.checkSaveDestination(URL(fileURLWithPath: save), inputs: inputs)
            }
            let (train, testSource) = try sources()
            if let testSource, testSource.featureNames != train.featureNames {
                throw IncrementalError.testColumnsDiffer(train: train.name, test: testSource.name)
            }
            let model = try IncrementalLearning.model(
                featureNames: train.featureNames, source: train.name,
                settings: .init(learner: learner, learningRate: lr, l2: l2), resume: resume.map { URL(fileURLWithPath: $0) })
            let pass = ProgressiveValidation(model: model, printEvery: printEvery)
            try run(pass, on: train, learn: true)
            if let save { try model.save(to: URL(fileURLWithPath: save)) }
            if let testSource {
                Terminal.note("test pass on \(testSource.name)")
                try run(pass, on: testSource, learn: false)
            }
        }
    }

    /// One pass with a progress line on stderr and the skipped rows reported after it.
    private func run(_ pass: ProgressiveValidation, on source: any LabelledRowSource, learn: Bool) throws {
        let bar = ProgressReporter((learn ? "learning " : "testing ") + source.name, total: nil, unit: "rows")
        let outcome = try pass.run(source, learn: learn, output: { print($0) }, progress: bar.update(done:))
        bar.finish()
        if outcome.unseen > 0 {
            Terminal.note("warning: \(outcome.unseen) of \(outcome.rows) test rows are of classes training never saw; they count as wrong")
        }
        if let csv = source as? CSVFloatReader, csv.skippedRows > 0 {
            Terminal.note("skipped \(csv.skippedRows) malformed row(s) of \(csv.path); first:\n"
                          + csv.skippedExamples.map { "  \($0)" }.joined(separator: "\n"))
        }
    }

    /// The training rows and, when there is a test pass, its rows.
    private func sources() throws -> (any LabelledRowSource, (any LabelledRowSource)?) {
        if let csv {
            let train = try CSVFloatReader(path: csv, target: target, skipBadRows: skipBadRows)
            let test = try test.map { try CSVFloatReader(path: $0, target: target, skipBadRows: skipBadRows) }
            try test?.requireSameFeatures(as: train)
            return (train, test)
        }
        let stores = try IncrementalLearning.sources(store: URL(fileURLWithPath: features ?? ""),
                                                     testStore: testFeatures.map { URL(fileURLWithPath: $0) },
                                                     split: split.options())
        return (stores.train, stores.test)
    }
}

extension OnlineLearner: ExpressibleByArgument {}
