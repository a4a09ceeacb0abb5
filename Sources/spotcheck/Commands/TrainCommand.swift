import ArgumentParser
import ClassicML
import FeatureStore
import Foundation
import LinearAlgebra

/// `spotcheck train`: fits one named classifier on a seeded stratified split of a feature store
/// (ours, or the cookbook's h5py files), prints scikit-learn's classification report and the
/// confusion matrix for the held-out rows, and optionally saves the fitted model.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one classifier on a feature store and report precision, recall and F1 per class.",
        discussion: """
            Classifier names are those of the `run` grids (LogisticRegression, LinearSVC-0.01, \
            KNeighborsClf-7, RandomForestClf-100, SVC, GradientBoostingClf-100, …), LogisticRegressionCV \
            (C chosen by 5-fold stratified cross-validation over logspace(-4, 4, 10), as scikit-learn), or \
            any family with its parameters: NAME:param=value,… (e.g. SVC:C=10,gamma=0.001, \
            KNeighborsClf:k=9,weights=distance); `spotcheck run --list` shows every family.
            """
    )

    @Option(help: "The feature store (.h5): spotcheck's, or an h5py file with features, labels and label_names.")
    var features: String

    @Option(help: "The classifier to fit, e.g. LinearSVC-0.01 or LogisticRegressionCV.")
    var classifier: String

    @Option(help: "Share of each class held out for testing, between 0 and 1.")
    var testFraction: Double = 0.2

    @Option(help: "Seed of the subset, the split and randomised classifiers.")
    var seed: UInt64 = 42

    @Option(help: "Use only this stratified share of the rows (0 < subset ≤ 1), chosen with the seed before splitting.")
    var subset: Double = 1

    @Option(help: "Save the fitted model (with its scaler and class names) to this JSON file.")
    var save: String?

    @Flag(help: "Replace an existing model file given to --save.")
    var overwrite = false

    func validate() throws {
        guard subset > 0, subset <= 1 else {
            throw ValidationError("--subset must be in (0, 1], got \(subset)")
        }
    }

    func run() throws {
        let spec = try ClassifierSpec(parsing: classifier)
        let storeURL = URL(fileURLWithPath: features)
        let reader = try FeatureStoreReader(url: storeURL)
        let all = try reader.readRows(0..<reader.rowCount)
        var rows = Array(0..<reader.rowCount)
        if subset < 1 {
            rows = try StratifiedSplit.trainTest(labels: all.labels, testFraction: subset, seed: seed).test
        }
        let labels = rows.map { all.labels[$0] }
        let split = try StratifiedSplit.trainTest(labels: labels, testFraction: testFraction, seed: seed)
        let x = all.features.rows(at: rows)
        Terminal.note("\(classifier): \(split.train.count) training rows, \(split.test.count) test rows, \(reader.dimension) features")
        let outcome = SpotCheck.evaluate(spec, seed: seed, train: x.rows(at: split.train), trainLabels: split.train.map { labels[$0] },
                                         test: x.rows(at: split.test), testLabels: split.test.map { labels[$0] })
        guard let metrics = outcome.metrics, let fitted = outcome.fitted else {
            throw TrainError.fitFailed(classifier: classifier, reason: outcome.error ?? "unknown")
        }
        let names = metrics.labels.map { label in
            reader.labelNames.indices.contains(label) ? reader.labelNames[label] : String(label)
        }
        print(try metrics.report(targetNames: names), terminator: "")
        print("\nconfusion matrix (rows: true class, columns: predicted class, in the order above):")
        print(Self.confusionTable(metrics.confusion, names: names), terminator: "")
        if let cv = fitted.classifier as? LogisticRegressionCV, let c = cv.chosenC {
            print("\nLogisticRegressionCV chose C = \(c) (mean fold accuracy \(String(format: "%.4f", cv.meanScores.max() ?? 0)))")
        }
        if let save {
            let metadata = try ModelMetadata.describing(classifier: spec.description, store: storeURL)
            let model = SavedModel(classifier: fitted.classifier, scaler: fitted.scaler,
                                   classNames: reader.labelNames, metadata: metadata)
            try ModelFile.save(model, to: URL(fileURLWithPath: save), overwrite: overwrite)
            Terminal.note("saved \(classifier) to \(save)")
        }
    }

    /// The confusion matrix as right-aligned columns of counts, one line per true class, each
    /// line ending with that class's name.
    /// - Parameters:
    ///   - confusion: counts, `confusion[true][predicted]`.
    ///   - names: one name per row.
    /// - Returns: the table, ending with a newline.
    static func confusionTable(_ confusion: [[Int]], names: [String]) -> String {
        let width = max(3, confusion.joined().map { String($0).count }.max() ?? 1)
        return zip(confusion, names).map { counts, name in
            counts.map { String(repeating: " ", count: width - String($0).count) + String($0) }
                .joined(separator: " ") + "  " + name + "\n"
        }.joined()
    }
}

/// Why `spotcheck train` stopped.
enum TrainError: Error, CustomStringConvertible {
    /// The classifier could not be fitted or could not predict.
    case fitFailed(classifier: String, reason: String)

    var description: String {
        switch self {
        case .fitFailed(let classifier, let reason):
            return "\(classifier) failed: \(reason); check the store has at least two classes with finite features, or try another classifier"
        }
    }
}
