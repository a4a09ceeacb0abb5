import FileSafety
import Foundation

/// A classifier that can be saved in a model file: `Codable`, with a stable `kind` string that
/// names its type in the file, and a check of its decoded state.
public protocol PersistableClassifier: Classifier, Codable {
    /// The name stored in the file's `kind` field, e.g. `"RandomForestClassifier"`; never change it.
    static var kind: String { get }

    /// The number of features the fitted model takes, or nil when unknown (before `fit`).
    /// A default implementation returns nil; a classifier that knows its width should say it,
    /// so that `ModelFile` can check the scaler against it and predictions can check their input.
    var featureCount: Int? { get }

    /// Checks every learned field against every other, as `fit` leaves them: shapes that agree,
    /// indices in range, no cycles, finite and bounded numbers. `ModelFile.load` calls it right
    /// after decoding (never on the prediction path), so that a damaged or edited file is
    /// refused with a message instead of crashing, hanging or predicting wrongly later.
    /// - Throws: `ClassicMLError.modelFile` with a phrase naming the field and what is wrong
    ///   (`ModelFile` adds the file name and the advice).
    func validateLoaded() throws
}

extension PersistableClassifier {
    /// Unknown unless the classifier says otherwise.
    public var featureCount: Int? { nil }
}

/// The estimators `ModelFile.load` knows by default. Add a new persistable classifier here
/// (one line) so saved files of its kind load without passing `kinds:`.
public enum ModelRegistry {
    /// Every built-in persistable classifier type.
    public static let builtIn: [any PersistableClassifier.Type] = [
        KNeighborsClassifier.self, NearestCentroid.self, RandomForestClassifier.self, ExtraTreesClassifier.self,
        LogisticRegression.self, LinearSVC.self, SGDClassifier.self, PassiveAggressiveClassifier.self,
        RidgeClassifier.self, LogisticRegressionCV.self,
        DecisionTreeClassifier.self, ExtraTreeClassifier.self, BaggingClassifier.self, AdaBoostClassifier.self,
        GradientBoostingClassifier.self, HistGradientBoostingClassifier.self, SVC.self, MLPClassifier.self,
        GaussianNB.self, LinearDiscriminantAnalysis.self,
    ]
}

/// A fitted classifier with everything needed to use it on new features: the scaler applied
/// before it, the class names (index = label), and free-form metadata such as the backbone name.
public struct SavedModel: Sendable, ScaledPrediction {
    /// The fitted classifier.
    public var classifier: any PersistableClassifier
    /// The scaler fitted on the training features, if the classifier expects scaled input.
    public var scaler: StandardScaler?
    /// Display name of each label, `classNames[label]`.
    public var classNames: [String]
    /// Free-form facts, e.g. `["backbone": "vgg16", "featureStore": "features/vgg16.h5"]`.
    public var metadata: [String: String]

    /// Bundles a fitted classifier with its scaler, class names and metadata.
    /// - Parameters:
    ///   - classifier: the fitted classifier.
    ///   - scaler: the scaler applied before it (default none).
    ///   - classNames: one name per label.
    ///   - metadata: free-form facts (default none).
    public init(classifier: any PersistableClassifier, scaler: StandardScaler? = nil,
                classNames: [String], metadata: [String: String] = [:]) {
        self.classifier = classifier
        self.scaler = scaler
        self.classNames = classNames
        self.metadata = metadata
    }
}

/// Reads and writes model files: one JSON object
/// `{"format": "spotcheck-model", "version": 1, "kind": …, "classNames": […], "metadata": {…},
/// "scaler": {"mean": […], "scale": […]} or null, "model": {…}}`, where `model` is the
/// classifier's own `Codable` state (large float arrays as base64, see `PackedMatrix`).
/// Readers accept every version up to `ModelFile.version` and refuse newer ones.
public enum ModelFile {
    /// The value of the `format` field.
    public static let format = "spotcheck-model"
    /// The format version this build writes (and the newest it reads).
    public static let version = 1

    private struct Header: Decodable { let format: String?; let version: Int?; let kind: String? }

    private struct Envelope<Model: PersistableClassifier>: Codable {
        var format: String
        var version: Int
        var kind: String
        var classNames: [String]
        var metadata: [String: String]
        var scaler: StandardScaler?
        var model: Model
    }

    /// Writes `model` to `url` through a temporary file renamed into place.
    /// - Parameters:
    ///   - model: the model to save.
    ///   - url: the destination file.
    ///   - overwrite: replace an existing file (default false: an existing file is an error).
    /// - Throws: `ClassicMLError.modelFile` when the model would not load back (an unfitted
    ///   classifier, a scaler or class names that do not fit it), when the file exists (and
    ///   `overwrite` is false) or cannot be written.
    public static func save(_ model: SavedModel, to url: URL, overwrite: Bool = false) throws {
        let data = try encode(model)
        do {
            try AtomicFile.write(data, to: url, replacing: overwrite)
        } catch {
            switch error {
            case .alreadyExists(let path):
                throw ClassicMLError.modelFile("\(path) already exists; choose another path or pass overwrite")
            default:
                throw ClassicMLError.modelFile("cannot save the model: \(error)")
            }
        }
    }

    /// Reads a model file.
    /// - Parameters:
    ///   - url: the file.
    ///   - kinds: the classifier types it may hold (default `ModelRegistry.builtIn`).
    /// - Returns: the saved model.
    /// - Throws: `ClassicMLError.modelFile` when the file is missing or not a regular file, not
    ///   a spotcheck model, from a newer version, of an unknown kind, or damaged — including
    ///   learned state whose fields disagree (see `PersistableClassifier.validateLoaded()`).
    public static func load(from url: URL,
                            kinds: [any PersistableClassifier.Type] = ModelRegistry.builtIn) throws -> SavedModel {
        let data = try readModelFile(url)
        guard let header = try? JSONDecoder().decode(Header.self, from: data), header.format == format else {
            throw ClassicMLError.modelFile("\(url.path) is not a spotcheck model file (no \"format\": \"\(format)\"); it is damaged or of another kind")
        }
        guard let fileVersion = header.version, fileVersion >= 1 else {
            throw ClassicMLError.modelFile("\(url.path) has no valid format version; the file is damaged")
        }
        guard fileVersion <= version else {
            throw ClassicMLError.modelFile("\(url.path) has format version \(fileVersion) but this spotcheck reads up to \(version); upgrade spotcheck")
        }
        guard let kind = header.kind, let type = kinds.first(where: { $0.kind == kind }) else {
            throw ClassicMLError.modelFile("\(url.path) holds an unknown classifier kind \(header.kind ?? "(none)"); known: \(kinds.map { $0.kind }.joined(separator: ", "))")
        }
        let model: SavedModel
        do {
            model = try decode(type, data)
        } catch {
            throw ClassicMLError.modelFile("\(url.path) is damaged (\(problem(error))); refit and save the model again")
        }
        do {
            try validate(model)
        } catch {
            throw ClassicMLError.modelFile("\(url.path): \(problem(error)); the file is damaged or was edited — "
                + "refit the model and save it again")
        }
        return model
    }

    /// Checks a model's classifier, its scaler and its class names against each other.
    /// - Throws: the first problem found.
    private static func validate(_ model: SavedModel) throws {
        let classifier = model.classifier
        try classifier.validateLoaded()
        if let scaler = model.scaler {
            try scaler.validateLoaded(featureCount: classifier.featureCount)
        }
        if !model.classNames.isEmpty, let bad = classifier.classes.first(where: { !model.classNames.indices.contains($0) }) {
            throw ClassicMLError.modelFile(
                "class \(bad) has no name among the \(model.classNames.count) class names")
        }
    }

    /// The words of an error without its `model file:` prefix.
    private static func problem(_ error: any Error) -> String {
        if case ClassicMLError.modelFile(let what) = error { return what }
        return "\(error)"
    }

    /// The bytes of a model file holding `model`, for writers that commit several files together.
    /// - Parameter model: the model.
    /// - Returns: the file's content.
    /// - Throws: `ClassicMLError.modelFile` when the model would not load back (an unfitted
    ///   classifier, a scaler or class names that do not fit it).
    public static func encode(_ model: SavedModel) throws -> Data {
        do {
            try validate(model)
        } catch {
            throw ClassicMLError.modelFile("cannot save \(type(of: model.classifier).kind): \(problem(error)); "
                + "fit the classifier before saving it")
        }
        return try encode(model.classifier, model)
    }

    private static func encode<Model: PersistableClassifier>(_ classifier: Model, _ model: SavedModel) throws -> Data {
        let envelope = Envelope(format: format, version: version, kind: Model.kind, classNames: model.classNames,
                                metadata: model.metadata, scaler: model.scaler, model: classifier)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(envelope)
    }

    private static func decode<Model: PersistableClassifier>(_ type: Model.Type, _ data: Data) throws -> SavedModel {
        let envelope = try JSONDecoder().decode(Envelope<Model>.self, from: data)
        try envelope.model.validateLoaded()
        return SavedModel(classifier: envelope.model, scaler: envelope.scaler,
                          classNames: envelope.classNames, metadata: envelope.metadata)
    }
}

extension KNeighborsClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "KNeighborsClassifier" }
}

extension NearestCentroid: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "NearestCentroid" }
}

extension RandomForestClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "RandomForestClassifier" }

    /// The number of features the trees were grown on (nil before `fit`).
    public var featureCount: Int? { forest.trees.isEmpty ? nil : forest.columns }
}

extension ExtraTreesClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "ExtraTreesClassifier" }

    /// The number of features the trees were grown on (nil before `fit`).
    public var featureCount: Int? { forest.trees.isEmpty ? nil : forest.columns }
}
