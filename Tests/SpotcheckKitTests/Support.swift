import Foundation
import ClassicML
import FileSafety
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

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

/// Results written by concurrent workers, one slot each.
final class OutcomeSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<Value, Error>) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = value
    }

    var values: [Result<Value, Error>] {
        lock.lock(); defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}

/// Runs `work` on a thread of its own while this process holds `holder`, and checks that it
/// waits: it says this process holds the folder, and has not finished half a second later; then
/// releases the lock.
/// - Returns: what `work` returned once the lock was free.
func assertWaits<Value>(for holder: FolderLock, observer: RecordingObserver, file: StaticString = #filePath, line: UInt = #line,
                        _ work: @escaping @Sendable () throws -> Value) throws -> Value {
    let outcome = OutcomeSlots<Value>(count: 1)
    let finished = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        outcome.set(0, Result { try work() })
        finished.signal()
    }
    let note = "waiting for spotcheck process pid \(getpid())"
    let deadline = Date().addingTimeInterval(60)
    while !observer.messages.contains(where: { $0.contains(note) }), Date() < deadline {
        Thread.sleep(forTimeInterval: 0.02)
    }
    XCTAssertTrue(observer.messages.contains { $0.contains(note) }, "\(observer.messages)", file: file, line: line)
    XCTAssertEqual(finished.wait(timeout: .now() + 0.5), .timedOut, "it waits while the folder is held", file: file, line: line)
    holder.release()
    XCTAssertEqual(finished.wait(timeout: .now() + 300), .success, file: file, line: line)
    return try XCTUnwrap(outcome.values.first, file: file, line: line).get()
}
