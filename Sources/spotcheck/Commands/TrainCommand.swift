import ArgumentParser
import ClassicML
import Foundation
import SpotcheckKit

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

    @OptionGroup var split: SplitOptionGroup

    @Option(help: "Use only this stratified share of the rows (0 < subset ≤ 1), chosen with the seed before splitting.")
    var subset: Double = 1

    @Option(help: "Save the fitted model (with its scaler and class names) to this JSON file.")
    var save: String?

    @Flag(help: "Replace an existing model file given to --save.")
    var overwrite = false

    func validate() throws {
        guard subset > 0, subset <= 1 else { throw ValidationError("--subset must be in (0, 1], got \(subset)") }
    }

    func run() throws {
        let training = ClassifierTraining(store: URL(fileURLWithPath: features),
                                          classifier: try ClassifierSpec(parsing: classifier),
                                          split: split.options(), subset: subset)
        if let save {
            try Advice.adding(for: .train) { try training.checkSaveDestination(URL(fileURLWithPath: save), overwrite: overwrite) }
        }
        let outcome = try training.run(observer: TerminalObserver())
        print(try outcome.metrics.report(targetNames: outcome.labelNames), terminator: "")
        print("\nconfusion matrix (rows: true class, columns: predicted class, in the order above):")
        print(Self.confusionTable(outcome.metrics.confusion, names: outcome.labelNames), terminator: "")
        if let cv = outcome.fitted.classifier as? LogisticRegressionCV, let c = cv.chosenC {
            print("\nLogisticRegressionCV chose C = \(c) (mean fold accuracy \(String(format: "%.4f", cv.meanScores.max() ?? 0)))")
        }
        if let save {
            try Advice.adding(for: .train) { try training.save(outcome, to: URL(fileURLWithPath: save), overwrite: overwrite) }
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
