import FileSafety
import Foundation

/// river's `StandardScaler() | OneVsRestClassifier(…)` pipeline, one row at a time, with
/// river's order of updates: `learnOne` updates the scaler first and trains the classifier on
/// the row scaled by the updated statistics; `predictOne` scales with the current statistics
/// and learns nothing.
///
/// Rows are the `[Float]` buffers `CSVFloatReader` fills; the arithmetic is in double
/// precision, as river's. The whole state (scaler, weights, classes, rows seen) is `Codable`:
/// `save(to:)` and `init(contentsOf:)` let learning stop and resume with bit-identical results.
public final class OnlineClassifier {
    /// Everything needed to continue learning: what `save(to:)` writes.
    public struct State: Codable, Sendable, Equatable {
        /// The file format's version.
        public var version = 1
        /// The running feature statistics.
        public var scaler: OnlineStandardScaler
        /// The one-vs-rest linear models.
        public var classifier: OneVsRestLinearClassifier
        /// Rows learned so far.
        public var rowsSeen: Int
        /// Optional feature names (to check a resumed run reads the same columns).
        public var featureNames: [String]?

        /// - Parameters:
        ///   - scaler: the running feature statistics.
        ///   - classifier: the one-vs-rest linear models.
        ///   - rowsSeen: rows learned so far.
        ///   - featureNames: the feature names, when known.
        public init(scaler: OnlineStandardScaler, classifier: OneVsRestLinearClassifier, rowsSeen: Int,
                    featureNames: [String]?) {
            self.scaler = scaler
            self.classifier = classifier
            self.rowsSeen = rowsSeen
            self.featureNames = featureNames
        }
    }

    /// The current state.
    public private(set) var state: State
    private var scaled: [Double]
    private var probabilities: [Double] = []

    /// A pipeline that has learned nothing yet.
    /// - Parameters:
    ///   - featureCount: the row width.
    ///   - learner: the binary learner (default `.logreg`, river's `LogisticRegression()`).
    ///   - learningRate: weight learning rate; `nil` for the learner's river default.
    ///   - l2: L2 penalty (default 0).
    ///   - featureNames: the feature names, kept with the state when known.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad setting.
    public init(featureCount: Int, learner: OnlineLearner = .logreg, learningRate: Double? = nil,
                l2: Double = 0, featureNames: [String]? = nil) throws {
        let classifier = try OneVsRestLinearClassifier(featureCount: featureCount, learner: learner,
                                                       learningRate: learningRate, l2: l2)
        state = State(scaler: OnlineStandardScaler(featureCount: featureCount), classifier: classifier,
                      rowsSeen: 0, featureNames: featureNames)
        scaled = [Double](repeating: 0, count: featureCount)
    }

    /// A pipeline continuing from a saved state.
    /// - Parameter state: a state from `state` or a model file.
    /// - Throws: `ClassicMLError.modelFile` when the state's parts disagree or hold numbers no
    ///   learning produces (see `State.validate()`).
    public init(state: State) throws {
        try state.validate()
        self.state = state
        scaled = [Double](repeating: 0, count: state.scaler.featureCount)
    }

    /// Loads a model file written by `save(to:)`.
    /// - Parameter url: the file.
    /// - Throws: `ClassicMLError.modelFile` when it cannot be read or is not a model file.
    public convenience init(contentsOf url: URL) throws {
        let data = try readModelFile(url)
        let decoded: State
        do {
            decoded = try JSONDecoder().decode(State.self, from: data)
        } catch {
            let what = if case ClassicMLError.modelFile(let text) = error { text } else { "\(error)" }
            throw ClassicMLError.modelFile("\(url.path) is not a spotcheck online model (\(what)); "
                + "pass a file written by OnlineClassifier.save(to:)")
        }
        do {
            try self.init(state: decoded)
        } catch {
            let what = if case ClassicMLError.modelFile(let text) = error { text } else { "\(error)" }
            throw ClassicMLError.modelFile("\(url.path): \(what); the file is damaged or was edited — "
                + "learn the model again")
        }
    }

    /// The row width.
    public var featureCount: Int { state.scaler.featureCount }
    /// Classes in order of first appearance.
    public var classes: [String] { state.classifier.classes }
    /// Rows learned so far.
    public var rowsSeen: Int { state.rowsSeen }

    /// Learns one row: updates the scaler, then trains every class's model. A row of the wrong
    /// width or with a NaN or infinite value is refused before anything is updated, so the
    /// learned state stays as it was (and can still be saved).
    /// - Parameters:
    ///   - x: a row of `featureCount` values.
    ///   - label: its class.
    /// - Throws: `ClassicMLError.shapeMismatch` for another width; `.nonFiniteInput` naming the
    ///   column of the first NaN or infinite value.
    public func learnOne(_ x: [Float], label: String) throws {
        try check(x, part: "the row to learn")
        x.withUnsafeBufferPointer { row in
            state.scaler.learnOne(row)
            scaled.withUnsafeMutableBufferPointer { state.scaler.transformOne(row, into: $0) }
        }
        scaled.withUnsafeBufferPointer { state.classifier.learnOne($0, label: label) }
        state.rowsSeen += 1
    }

    /// Predicts one row's class without learning.
    /// - Parameter x: a row of `featureCount` values.
    /// - Returns: the most probable class, or `nil` before any learning.
    /// - Throws: as ``learnOne(_:label:)`` (nothing is predicted for a refused row).
    public func predictOne(_ x: [Float]) throws -> String? {
        try scale(x)
        return scaled.withUnsafeBufferPointer { state.classifier.predictOne($0, scratch: &probabilities) }
    }

    /// The class probabilities of one row, without learning.
    /// - Parameter x: a row of `featureCount` values.
    /// - Returns: class → probability (empty before any learning).
    /// - Throws: as ``learnOne(_:label:)``.
    public func predictProbaOne(_ x: [Float]) throws -> [String: Double] {
        try scale(x)
        scaled.withUnsafeBufferPointer { state.classifier.predictProbaOne($0, into: &probabilities) }
        return Dictionary(uniqueKeysWithValues: zip(classes, probabilities))
    }

    private func scale(_ x: [Float]) throws {
        try check(x, part: "the row to predict")
        x.withUnsafeBufferPointer { row in
            scaled.withUnsafeMutableBufferPointer { state.scaler.transformOne(row, into: $0) }
        }
    }

    /// Throws unless `x` has the model's width and only finite values.
    private func check(_ x: [Float], part: String) throws {
        guard x.count == featureCount else {
            throw ClassicMLError.shapeMismatch("\(part) has \(x.count) features, the model \(featureCount)")
        }
        try x.withUnsafeBufferPointer { try InputValidation.finite($0, part: part) }
    }

    /// Writes the state as JSON to a temporary file beside `url`, then renames it into place,
    /// so an interrupted save never leaves a half-written model.
    /// - Parameter url: the model file.
    /// - Throws: `ClassicMLError.modelFile` when nothing has been learned yet (there is no
    ///   model to save) or the file cannot be written.
    public func save(to url: URL) throws {
        guard state.rowsSeen > 0 else {
            throw ClassicMLError.modelFile(
                "cannot save \(url.path): the model has learned no rows, so there is nothing to save; "
                    + "learn from at least one row first (is the training data empty?)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try AtomicFile.write(try encoder.encode(state), to: url, replacing: true)
        } catch let error as FileSafetyError {
            throw ClassicMLError.modelFile("cannot save the online model: \(error)")
        }
    }
}
