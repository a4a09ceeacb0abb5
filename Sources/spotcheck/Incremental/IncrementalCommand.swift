import ArgumentParser
import ClassicML
import FeatureStore
import Foundation

/// `spotcheck incremental`: out-of-core learning from a CSV file with river's semantics —
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
    var csv: String

    @Option(help: "Test CSV, evaluated after training (predict only).")
    var test: String?

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
    }

    func run() throws {
        let reader = try CSVFloatReader(path: csv, target: target, skipBadRows: skipBadRows)
        let model = try makeModel(featureNames: reader.featureNames)
        let pass = ProgressiveValidation(model: model, printEvery: printEvery)
        let output: (String) -> Void = { print($0) }
        _ = try pass.run(reader, learn: true, output: output)
        report(reader)
        if let save {
            try model.save(to: URL(fileURLWithPath: save))
        }
        if let test {
            let testReader = try CSVFloatReader(path: test, target: target, skipBadRows: skipBadRows)
            guard testReader.featureNames == reader.featureNames else {
                throw ValidationError("\(test) has different feature columns than \(csv); test on a file with the same header")
            }
            FileHandle.standardError.write(Data("test pass on \(test)\n".utf8))
            _ = try pass.run(testReader, learn: false, output: output)
            report(testReader)
        }
    }

    /// A fresh pipeline, or the resumed one after checking it matches the file and options.
    private func makeModel(featureNames: [String]) throws -> OnlineClassifier {
        guard let resume else {
            return try OnlineClassifier(featureCount: featureNames.count, learner: learner ?? .logreg,
                                        learningRate: lr, l2: l2 ?? 0, featureNames: featureNames)
        }
        let model = try OnlineClassifier(contentsOf: URL(fileURLWithPath: resume))
        let saved = model.state
        if let names = saved.featureNames, names != featureNames {
            throw ValidationError("\(resume) was learned on other feature columns than \(csv)'s; resume on files with the same header")
        }
        guard saved.scaler.featureCount == featureNames.count else {
            throw ValidationError("\(resume) has \(saved.scaler.featureCount) features, \(csv) has \(featureNames.count)")
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

    private func report(_ reader: CSVFloatReader) {
        guard reader.skippedRows > 0 else { return }
        var text = "skipped \(reader.skippedRows) malformed row(s) of \(reader.path); first:\n"
        for example in reader.skippedExamples { text += "  \(example)\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension OnlineLearner: ExpressibleByArgument {}
