import ClassicML
import Foundation
import LinearAlgebra
import XCTest

/// Real saved models of every kind, fitted on the wine fixture (three classes) and, for the
/// linear ones' two-class layout, on breast cancer — the inputs the crafted and fuzzed model
/// files are made from.
struct SavedModelZoo {
    /// One saved model: its kind, the file's JSON and raw test rows to predict on.
    struct Entry {
        let kind: String
        let json: [String: Any]
        let test: Matrix
    }

    let entries: [Entry]
    /// A saved online model (`OnlineClassifier.save`) with the rows it learned from.
    let online: (json: [String: Any], rows: [[Float]])

    /// Fits and saves every kind into `folder`.
    static func make(in folder: URL) throws -> SavedModelZoo {
        let wine = try FixtureDataset.load("wine"), cancer = try FixtureDataset.load("breast_cancer")
        // (classifier, data, scaled): the grid scales every family but the trees.
        let cases: [(any PersistableClassifier, FixtureDataset, Bool)] = [
            (KNeighborsClassifier(neighbors: 5, weights: .distance), wine, true), (NearestCentroid(), wine, true),
            (LogisticRegression(), wine, true), (LinearSVC(), cancer, true), (SGDClassifier(), wine, true),
            (PassiveAggressiveClassifier(), cancer, true), (RidgeClassifier(), wine, true),
            (LogisticRegressionCV(cs: [0.1, 1, 10], folds: 3), wine, true),
            (RandomForestClassifier(trees: 4, jobs: 1), wine, false), (ExtraTreesClassifier(trees: 4, jobs: 1), wine, false),
        ]
        var entries: [Entry] = []
        for (index, (model, data, scaled)) in cases.enumerated() {
            var classifier = model
            var scaler: StandardScaler?
            var x = data.trainX
            if scaled {
                var fitted = StandardScaler()
                x = try fitted.fitTransform(x)
                scaler = fitted
            }
            try classifier.fit(x, data.trainY)
            let names = (0...(classifier.classes.max() ?? 0)).map { "class \($0)" }
            let url = folder.appendingPathComponent("zoo-\(index).json")
            try ModelFile.save(SavedModel(classifier: classifier, scaler: scaler, classNames: names,
                                          metadata: ["backbone": "none"]), to: url)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            entries.append(Entry(kind: type(of: classifier).kind, json: json, test: data.testX))
        }
        let table = try OnlineFixtures.table("wine_shuffled.csv")
        let learner = try OnlineClassifier(featureCount: table.rows[0].count)
        for (row, label) in zip(table.rows, table.labels).prefix(120) { try learner.learnOne(row, label: label) }
        let onlineURL = folder.appendingPathComponent("zoo-online.json")
        try learner.save(to: onlineURL)
        let onlineJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: onlineURL)) as? [String: Any])
        return SavedModelZoo(entries: entries, online: (onlineJSON, Array(table.rows.suffix(40))))
    }

    /// The entry of `kind`.
    func entry(_ kind: String) throws -> Entry {
        try XCTUnwrap(entries.first { $0.kind == kind }, kind)
    }
}

/// Writes JSON to a file.
func writeJSON(_ object: Any, to url: URL) throws {
    try JSONSerialization.data(withJSONObject: object).write(to: url)
}

/// The value at a key path of nested dictionaries and arrays (`["model", "forest", "trees", 0]`).
func value(in object: Any, at path: [Any]) -> Any? {
    var current: Any? = object
    for key in path {
        switch (current, key) {
        case (let dictionary as [String: Any], let name as String): current = dictionary[name]
        case (let array as [Any], let index as Int): current = array.indices.contains(index) ? array[index] : nil
        default: return nil
        }
    }
    return current
}

/// `object` with the value at `path` replaced by `newValue` (nil removes a dictionary key).
func replacing(_ object: Any, at path: ArraySlice<Any>, with newValue: Any?) -> Any? {
    guard let key = path.first else { return newValue }
    let rest = path.dropFirst()
    switch (object, key) {
    case (var dictionary as [String: Any], let name as String):
        dictionary[name] = dictionary[name].flatMap { replacing($0, at: rest, with: newValue) }
            ?? (rest.isEmpty ? newValue : nil)
        return dictionary
    case (var array as [Any], let index as Int) where array.indices.contains(index):
        if let updated = replacing(array[index], at: rest, with: newValue) {
            array[index] = updated
        } else {
            array.remove(at: index)
        }
        return array
    default:
        return object
    }
}

/// The floats of a `PackedMatrix` JSON object's payload.
func packedFloats(_ packed: [String: Any]) throws -> [Float] {
    let data = try XCTUnwrap(Data(base64Encoded: try XCTUnwrap(packed["float32LittleEndianBase64"] as? String)))
    return data.withUnsafeBytes { raw in
        (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
    }
}

/// A `PackedMatrix` JSON payload holding `floats`.
func packedPayload(_ floats: [Float]) -> String {
    var bytes = Data()
    for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    return bytes.base64EncodedString()
}
