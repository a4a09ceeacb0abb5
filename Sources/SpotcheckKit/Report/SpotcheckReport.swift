import Foundation

/// Everything a spot-check found, as written to `final_report.json`.
///
/// The top level keeps the cookbook's keys and meaning — `best_model`, `best_accuracy`,
/// `best_features`, and one object per feature file (`extractor` plus classifier name → test
/// accuracy) — so readers written for the cookbook keep working. Everything else sits beside
/// them under fixed keys; `docs/final_report.schema.json` documents every field.
public struct SpotcheckReport: Codable, Sendable {
    /// Bumped whenever a field changes meaning or disappears.
    public static let formatVersion = 2

    /// The dataset that was spot-checked.
    public struct DatasetSummary: Codable, Sendable {
        /// The dataset folder, or the feature files' paths.
        public var root: String
        /// How the folder was laid out (`DIR/<class>/<file>`, …) or `feature files`.
        public var layout: String
        /// Class names, by label.
        public var classes: [String]
        /// Rows used per class name.
        public var countsPerClass: [String: Int]
        /// Rows used.
        public var images: Int
        /// Files left out, with their reasons.
        public var skipped: [SkippedFile]
        /// Problems that did not stop the run.
        public var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case root, layout, classes, images, skipped, warnings
            case countsPerClass = "counts_per_class"
        }
    }

    /// The shared train/test split (and optional cross-validation) every pair was scored on.
    public struct Split: Codable, Sendable {
        /// Share of each class held out for testing.
        public var testFraction: Double
        /// The seed of the split and the folds.
        public var seed: UInt64
        /// Training rows.
        public var trainRows: Int
        /// Test rows.
        public var testRows: Int
        /// Cross-validation folds, when asked for.
        public var folds: Int?
        /// The CSV naming each image's source photo, when the split and folds kept copies together.
        public var groupedBy: String?
        /// The number of source photos (groups) in a grouped split.
        public var groups: Int?

        enum CodingKeys: String, CodingKey {
            case seed, folds, groups
            case groupedBy = "grouped_by"
            case testFraction = "test_fraction", trainRows = "train_rows", testRows = "test_rows"
        }
    }

    /// One extractor × classifier experiment.
    public struct PairResult: Codable, Sendable {
        /// The extractor's name.
        public var extractor: String
        /// The classifier's name.
        public var classifier: String
        /// Place in the ranking (1 = the winner); nil when the classifier failed.
        public var rank: Int?
        /// Test accuracy (nil when the classifier failed).
        public var accuracy: Double?
        /// Test images predicted correctly.
        public var testCorrect: Int?
        /// Test images.
        public var testImages: Int?
        /// The 95 % Wilson interval of the test accuracy, `[lower, upper]`.
        public var testInterval: [Double]?
        /// Mean recall over classes on the test rows.
        public var balancedAccuracy: Double?
        /// Mean F1 over classes on the test rows.
        public var macroF1: Double?
        /// Accuracy on each cross-validation fold of the training rows (folds × repeats).
        public var cvScores: [Double]?
        /// Mean cross-validated accuracy: what the pairs are ranked by.
        public var cvMean: Double?
        /// Standard deviation of the fold accuracies.
        public var cvStd: Double?
        /// True when the tie test cannot tell this pair from the winner (false for the others;
        /// nil for the winner itself and failed pairs).
        public var tiedWithBest: Bool?
        /// The tie test's p-value against the winner.
        public var pValueVsBest: Double?
        /// Seconds to fit on the training rows (scaler included).
        public var fitSeconds: Double?
        /// Seconds to predict the test rows.
        public var predictSeconds: Double?
        /// Seconds of the whole cross-validation.
        public var cvSeconds: Double?
        /// Why the classifier failed; the grid went on.
        public var error: String?

        /// An experiment with nothing measured yet.
        /// - Parameters:
        ///   - extractor: the extractor's name.
        ///   - classifier: the classifier's name.
        public init(extractor: String, classifier: String) {
            self.extractor = extractor
            self.classifier = classifier
        }

        enum CodingKeys: String, CodingKey {
            case extractor, classifier, rank, accuracy, error
            case testCorrect = "test_correct", testImages = "test_images", testInterval = "test_interval"
            case balancedAccuracy = "balanced_accuracy", macroF1 = "macro_f1"
            case cvScores = "cv_scores", cvMean = "cv_mean", cvStd = "cv_std"
            case tiedWithBest = "tied_with_best", pValueVsBest = "p_value_vs_best"
            case fitSeconds = "fit_seconds", predictSeconds = "predict_seconds", cvSeconds = "cv_seconds"
        }
    }

    /// How the winner was chosen and which pairs are statistically tied with it.
    public struct SelectionSummary: Codable, Sendable {
        /// The protocol in words.
        public var method: String
        /// Cross-validation folds used (0: ranked by the test split).
        public var folds: Int
        /// Folds asked for.
        public var requestedFolds: Int
        /// Repeats of the k-fold.
        public var repeats: Int
        /// Why fewer folds than asked for were used.
        public var note: String?
        /// The deterministic order among equal scores.
        public var tieBreak: String
        /// The test that decides "statistically tied with the best".
        public var tieTest: String
        /// Its significance level.
        public var alpha: Double
        /// The pairs the test cannot tell from the winner (the winner not included).
        public var tied: [PairName]

        enum CodingKeys: String, CodingKey {
            case method, folds, repeats, note, alpha, tied
            case requestedFolds = "requested_folds", tieBreak = "tie_break", tieTest = "tie_test"
        }
    }

    /// An extractor × classifier pair by name.
    public struct PairName: Codable, Sendable, Hashable {
        /// The extractor's name.
        public var extractor: String
        /// The classifier's name.
        public var classifier: String
    }

    /// Per-class scores of one classifier on the test set.
    public struct ClassScores: Codable, Sendable {
        /// The class name.
        public var className: String
        /// Precision on the test rows.
        public var precision: Double
        /// Recall on the test rows.
        public var recall: Double
        /// F1 on the test rows.
        public var f1: Double
        /// Test rows of the class.
        public var support: Int

        enum CodingKeys: String, CodingKey {
            case precision, recall, f1, support
            case className = "class"
        }
    }

    /// Detail for the best classifier of one extractor.
    public struct BestPair: Codable, Sendable {
        /// The extractor's name.
        public var extractor: String
        /// The classifier's name.
        public var classifier: String
        /// Test accuracy: the honest estimate of how the pair does on new images.
        public var accuracy: Double
        /// The 95 % Wilson interval of the test accuracy, `[lower, upper]`.
        public var testInterval: [Double]
        /// Test images.
        public var testImages: Int
        /// Mean cross-validated accuracy on the training rows (nil without cross-validation).
        public var cvMean: Double?
        /// Standard deviation of the fold accuracies.
        public var cvStd: Double?
        /// The extractor's feature store.
        public var featureFile: String
        /// Rows are true classes, columns predicted classes, in `dataset.classes` order.
        public var confusionMatrix: [[Int]]
        /// Scores per class, in `dataset.classes` order.
        public var perClass: [ClassScores]
        /// Every test image with its true and predicted class (for the overall winner only).
        public var testPredictions: [TestPrediction]?

        enum CodingKeys: String, CodingKey {
            case extractor, classifier, accuracy
            case testInterval = "test_interval", testImages = "test_images", cvMean = "cv_mean", cvStd = "cv_std"
            case featureFile = "feature_file", confusionMatrix = "confusion_matrix"
            case perClass = "per_class", testPredictions = "test_predictions"
        }
    }

    /// One test image's outcome under the winning pair.
    public struct TestPrediction: Codable, Sendable {
        /// The image, relative to the dataset root.
        public var path: String
        /// Its class.
        public var trueClass: String
        /// The class the winner gave it.
        public var predictedClass: String

        enum CodingKeys: String, CodingKey {
            case path
            case trueClass = "true", predictedClass = "predicted"
        }
    }

    /// Wall-clock seconds of each phase.
    public struct Timings: Codable, Sendable {
        /// Finding the images and checking the inputs.
        public var discoverySeconds: Double
        /// Making or opening the feature stores.
        public var extractionSeconds: Double
        /// Fitting and scoring the classifiers.
        public var classificationSeconds: Double
        /// The whole run.
        public var totalSeconds: Double

        enum CodingKeys: String, CodingKey {
            case discoverySeconds = "discovery_seconds", extractionSeconds = "extraction_seconds"
            case classificationSeconds = "classification_seconds", totalSeconds = "total_seconds"
        }
    }

    /// When the run ended.
    public var createdAt: Date
    /// The spotcheck version that made the report.
    public var toolVersion: String
    /// The command line (or the program's own description of the run).
    public var command: [String]
    /// The dataset.
    public var dataset: DatasetSummary
    /// The split.
    public var split: Split
    /// One record per extractor's store.
    public var extractions: [ExtractionRecord]
    /// Every experiment.
    public var results: [PairResult]
    /// The best classifier of each extractor.
    public var bestPerExtractor: [BestPair]
    /// The overall winner, with its test predictions.
    public var best: BestPair?
    /// How the winner was chosen, and the pairs tied with it.
    public var selection: SelectionSummary
    /// Where the winner was saved.
    public var modelFile: String?
    /// Phase timings.
    public var timings: Timings
    /// Versions of the tools involved.
    public var versions: [String: String]
}
