import Foundation
import ClassicML
import SpotcheckKit
import SpotcheckTestSupport

/// The URL of a file under this test target's `Fixtures` folder.
func fixtureURL(_ name: String) throws -> URL {
    try fixtureURL(name, in: .module)
}

/// A JSON object fixture of this test target.
func jsonFixture(_ name: String) throws -> [String: Any] {
    try jsonFixture(name, in: .module)
}

/// Keeps every event of a run, for assertions.
final class RecordingObserver: SpotcheckObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded = [SpotcheckEvent]()

    func observe(_ event: SpotcheckEvent) {
        lock.lock(); defer { lock.unlock() }
        recorded.append(event)
    }

    /// The events so far.
    var events: [SpotcheckEvent] {
        lock.lock(); defer { lock.unlock() }
        return recorded
    }

    /// The notes and warnings so far, as text.
    var messages: [String] {
        events.compactMap {
            switch $0 {
            case .note(let text), .warning(let text): return text
            default: return nil
            }
        }
    }

    /// The skipped files so far.
    var skipped: [SkippedFile] {
        events.compactMap { if case .skipped(let file) = $0 { return file } else { return nil } }
    }
}

extension SpotcheckConfiguration {
    /// A configuration for an image folder with the given backbones (`name` or `name:layout`) and
    /// classifiers, writing to `out`.
    static func images(_ folder: URL, extractors: [String], classifiers: [String], out: URL,
                       testFraction: Double = 0.2, folds: Int = 5) throws -> SpotcheckConfiguration {
        var configuration = SpotcheckConfiguration(.images(folder))
        configuration.recipes = try FeatureRecipe.expand(extractors, layouts: [.average], fit: .crop)
        configuration.classifiers = try classifiers.map(ClassifierSpec.init(parsing:))
        configuration.split = SplitOptions(testFraction: testFraction, folds: folds)
        configuration.outputFolder = out
        configuration.batchSize = 4
        configuration.threads = 2
        return configuration
    }
}
