import Foundation

/// Everything `spotcheck run` found, as written to `final_report.json`.
///
/// The top level keeps the cookbook's keys and meaning — `best_model`, `best_accuracy`,
/// `best_features`, and one object per feature file (`extractor` plus classifier name → test
/// accuracy) — so readers written for the cookbook keep working. Everything else sits beside
/// them under fixed keys; `docs/final_report.schema.json` documents every field.
struct SpotcheckReport: Encodable {
    /// Bumped whenever a field changes meaning or disappears.
    static let formatVersion = 1

    /// The dataset that was spot-checked.
    struct Dataset: Encodable {
        var root: String
        var layout: String
        var classes: [String]
        var countsPerClass: [String: Int]
        var images: Int
        var skipped: [SkippedFile]
        var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case root, layout, classes, images, skipped, warnings
            case countsPerClass = "counts_per_class"
        }
    }

    /// A file that was left out, and why.
    struct SkippedFile: Encodable {
        var path: String
        var reason: String
    }

    /// The shared train/test split (and optional cross-validation) every pair was scored on.
    struct Split: Encodable {
        var testFraction: Double
        var seed: UInt64
        var trainRows: Int
        var testRows: Int
        var folds: Int?
        /// The CSV naming each image's source photo, when the split and folds kept copies together.
        var groupedBy: String?
        /// The number of source photos (groups) in a grouped split.
        var groups: Int?

        enum CodingKeys: String, CodingKey {
            case seed, folds, groups
            case groupedBy = "grouped_by"
            case testFraction = "test_fraction", trainRows = "train_rows", testRows = "test_rows"
        }
    }

    /// One backbone's feature extraction.
    struct Extraction: Encodable {
        var extractor: String
        var featureFile: String
        var dimension: Int
        var rows: Int
        /// True when an existing, matching feature store was reused.
        var cached: Bool
        /// True when an interrupted extraction was resumed.
        var resumed: Bool
        var seconds: Double
        var imagesPerSecond: Double?
        var weightsSHA256: String?
        /// How the feature map became a row (`avg`, `grid2`, `flat`), when known.
        var layout: String?
        /// The image preprocessing, fit included, when known.
        var preprocessing: String?

        enum CodingKeys: String, CodingKey {
            case extractor, dimension, rows, cached, resumed, seconds, layout, preprocessing
            case featureFile = "feature_file", imagesPerSecond = "images_per_second"
            case weightsSHA256 = "weights_sha256"
        }
    }

    /// One extractor × classifier experiment.
    struct Result: Encodable {
        var extractor: String
        var classifier: String
        var accuracy: Double?
        var balancedAccuracy: Double?
        var macroF1: Double?
        var cvMean: Double?
        var cvStd: Double?
        var fitSeconds: Double?
        var predictSeconds: Double?
        /// Set when the classifier failed; the grid went on.
        var error: String?

        enum CodingKeys: String, CodingKey {
            case extractor, classifier, accuracy, error
            case balancedAccuracy = "balanced_accuracy", macroF1 = "macro_f1"
            case cvMean = "cv_mean", cvStd = "cv_std"
            case fitSeconds = "fit_seconds", predictSeconds = "predict_seconds"
        }
    }

    /// Per-class scores of one classifier on the test set.
    struct ClassScores: Encodable {
        var className: String
        var precision: Double
        var recall: Double
        var f1: Double
        var support: Int

        enum CodingKeys: String, CodingKey {
            case precision, recall, f1, support
            case className = "class"
        }
    }

    /// Detail for the best classifier of one extractor.
    struct BestPair: Encodable {
        var extractor: String
        var classifier: String
        var accuracy: Double
        var featureFile: String
        /// Rows are true classes, columns predicted classes, in `dataset.classes` order.
        var confusionMatrix: [[Int]]
        var perClass: [ClassScores]
        /// Every test image with its true and predicted class (for the overall winner only).
        var testPredictions: [TestPrediction]?

        enum CodingKeys: String, CodingKey {
            case extractor, classifier, accuracy
            case featureFile = "feature_file", confusionMatrix = "confusion_matrix"
            case perClass = "per_class", testPredictions = "test_predictions"
        }
    }

    /// One test image's outcome under the winning pair.
    struct TestPrediction: Encodable {
        /// The image, relative to the dataset root.
        var path: String
        var trueClass: String
        var predictedClass: String

        enum CodingKeys: String, CodingKey {
            case path
            case trueClass = "true", predictedClass = "predicted"
        }
    }

    /// Wall-clock seconds of each phase.
    struct Timings: Encodable {
        var discoverySeconds: Double
        var extractionSeconds: Double
        var classificationSeconds: Double
        var totalSeconds: Double

        enum CodingKeys: String, CodingKey {
            case discoverySeconds = "discovery_seconds", extractionSeconds = "extraction_seconds"
            case classificationSeconds = "classification_seconds", totalSeconds = "total_seconds"
        }
    }

    var createdAt: Date
    var toolVersion: String
    var command: [String]
    var dataset: Dataset
    var split: Split
    var extractions: [Extraction]
    var results: [Result]
    var bestPerExtractor: [BestPair]
    var best: BestPair?
    var modelFile: String?
    var timings: Timings
    var versions: [String: String]
}
