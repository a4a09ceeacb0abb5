import ArgumentParser
import ClassicML
import FeatureStore
import Foundation

/// `spotcheck incremental`: out-of-core learning from a CSV file or feature store with river's semantics —
/// `StandardScaler | OneVsRest(<learner>)`, progressive validation printed as the cookbook
/// does, then a test pass; memory stays flat whatever the number of rows.
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

    @Option(help: "Share of --features rows held out for the test pass (stratified).")
    var testFraction = 0.2

    @Option(help: "Random seed of the --features split.")
    var seed: UInt64 = 42

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
        guard (csv == nil) != (features == nil) else {
            throw ValidationError("give exactly one of --csv and --features")
        }
        if csv != nil, testFeatures != nil { throw ValidationError("--test-features goes with --features; use --test with --csv") }
        if features != nil, test != nil { throw ValidationError("--test goes with --csv; use --test-features with --features") }
    }

    func run() throws {
        let (train, testSource) = try sources()
        let model = try makeModel(featureNames: train.featureNames, source: train.name)
        let pass = ProgressiveValidation(model: model, printEvery: printEvery)
        let output: (String) -> Void = { print($0) }
        _ = try pass.run(train, learn: true, output: output)
        if let save {
            try model.save(to: URL(fileURLWithPath: save))
        }
        if let testSource {
            guard testSource.featureNames == train.featureNames else {
                throw ValidationError("\(testSource.name) has different feature columns than \(train.name); test on data with the same features")
            }
            FileHandle.standardError.write(Data("test pass on \(testSource.name)\n".utf8))
            _ = try pass.run(testSource, learn: false, output: output)
        }
    }

    /// The training rows and, when there is a test pass, its rows.
    private func sources() throws -> (RowSource, RowSource?) {
        if let csv {
            let train = try CSVFloatReader(path: csv, target: target, skipBadRows: skipBadRows)
            let test = try test.map { try CSVFloatReader(path: $0, target: target, skipBadRows: skipBadRows) }
            try test?.requireSameFeatures(as: train)
            return (train, test)
        }
        let store = try FeatureStoreReader(url: URL(fileURLWithPath: features ?? ""))
        if let testFeatures {
            let test = StoreRowSource(try FeatureStoreReader(url: URL(fileURLWithPath: testFeatures)), rows: nil, part: "test")
            return (StoreRowSource(store, rows: nil, part: "train"), test)
        }
        let split = try StratifiedSplit.trainTest(labels: store.labels(), testFraction: testFraction, seed: seed)
        let test = StoreRowSource(store, rows: split.test, part: "test")
        return (StoreRowSource(store, rows: split.train, part: "train"), test)
    }

    /// A fresh pipeline, or the resumed one after checking it matches the file and options.
    private func makeModel(featureNames: [String], source: String) throws -> OnlineClassifier {
        guard let resume else {
            return try OnlineClassifier(featureCount: featureNames.count, learner: learner ?? .logreg,
                                        learningRate: lr, l2: l2 ?? 0, featureNames: featureNames)
        }
        let model = try OnlineClassifier(contentsOf: URL(fileURLWithPath: resume))
        let saved = model.state
        if let names = saved.featureNames, names != featureNames {
            throw ValidationError("\(resume) was learned on other feature columns than \(source)'s; resume on data with the same features")
        }
        guard saved.scaler.featureCount == featureNames.count else {
            throw ValidationError("\(resume) has \(saved.scaler.featureCount) features, \(source) has \(featureNames.count)")
        }
        let classifier = saved.classifier
        if let learner, learner != classifier.learner { throw conflict("--learner", classifier.learner.rawValue) }
        if let lr, lr != classifier.learningRate { throw conflict("--lr", "\(classifier.learningRate)") }
        if let l2, l2 != classifier.l2 { throw conflict("--l2", "\(classifier.l2)") }
        return model
    }

    private func conflict(_ option: String, _ saved: String) -> ValidationError {
        ValidationError("\(option) differs from the resumed model's (\(saved)); drop \(option) when resuming")
    }
}

extension OnlineLearner: ExpressibleByArgument {}
