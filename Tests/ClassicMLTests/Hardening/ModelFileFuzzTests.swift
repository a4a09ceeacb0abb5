import ClassicML
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// Seeded mutations of real saved models of every kind — random field edits, type swaps,
/// dropped keys, damaged float payloads, truncations and byte flips — each of which must
/// either load and then predict finite answers, or be refused with an error: never crash,
/// hang or predict NaN.
final class ModelFileFuzzTests: XCTestCase {
    /// Cases per model kind; 11 kinds (10 batch classifiers and the online model).
    private let casesPerKind = 100
    /// Seconds one case may take (load and predict) before it counts as a hang.
    private let caseTimeLimit = 30.0

    private var folder: URL!

    override func setUpWithError() throws {
        folder = try scratchDirectory(self, prefix: "spotcheck-fuzz")
    }

    func testMutatedModelFilesLoadAndPredictFiniteOrAreRefused() throws {
        let zoo = try SavedModelZoo.make(in: folder)
        var generator = SplitMix64(seed: 15)
        var loaded = 0, refused = 0, cases = 0
        let targets: [(name: String, json: [String: Any], run: @Sendable (URL) throws -> String?)] =
            zoo.entries.map { entry in
                let test = entry.test
                return (entry.kind, entry.json, { url in try Self.loadAndPredict(url, test) })
            } + [("OnlineClassifier", zoo.online.json, { @Sendable [rows = zoo.online.rows] url in
                try Self.loadAndLearnOnline(url, rows)
            })]
        for target in targets {
            for index in 0..<casesPerKind {
                let (bytes, mutation) = try Self.mutate(target.json, &generator, caseIndex: index)
                let url = folder.appendingPathComponent("case-\(cases).json")
                try bytes.write(to: url)
                cases += 1
                let run = target.run
                let outcome = runBounded(seconds: caseTimeLimit) { try run(url) }
                switch outcome {
                case .timedOut:
                    return XCTFail("\(target.name) case \(index) (\(mutation)) did not finish in \(caseTimeLimit) s")
                case .refused:
                    refused += 1
                case .loaded(let problem):
                    loaded += 1
                    if let problem { XCTFail("\(target.name) case \(index) (\(mutation)) loaded but \(problem)") }
                }
                XCTAssertEqual(try Data(contentsOf: url), bytes, "the model file is never modified")
                try FileManager.default.removeItem(at: url)
            }
        }
        print("model-file fuzz: \(cases) cases, \(loaded) loaded and predicted finite, \(refused) refused")
        XCTAssertGreaterThanOrEqual(cases, 1000)
        XCTAssertGreaterThan(refused, cases / 2, "most mutations break a model")
        XCTAssertGreaterThan(loaded, 0, "harmless mutations (metadata, hyper-parameters) still load")
    }

    // MARK: - Running one case

    /// Runs `body` on another thread and waits at most `seconds` (a hung case is reported,
    /// its thread abandoned).
    private func runBounded(seconds: Double, _ body: @escaping @Sendable () throws -> String?) -> FuzzOutcome {
        let box = OutcomeBox()
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { box.value = .loaded(try body()) } catch { box.value = .refused }
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + seconds) == .success else { return .timedOut }
        return box.value ?? .timedOut
    }

    /// Loads a batch model and predicts the test rows; returns what is wrong with the answers.
    private static func loadAndPredict(_ url: URL, _ test: Matrix) throws -> String? {
        let model = try ModelFile.load(from: url)
        let classes = Set(model.classifier.classes)
        let labels = try model.predict(test)
        if labels.count != test.rows { return "predicted \(labels.count) labels for \(test.rows) rows" }
        if let bad = labels.first(where: { !classes.contains($0) }) { return "predicted unknown label \(bad)" }
        if let proba = try model.predictProba(test), let bad = proba.values.first(where: { !$0.isFinite }) {
            return "predicted probability \(bad)"
        }
        if let linear = model.classifier as? any LinearClassifier,
           let bad = linear.decisionFunction(try model.prepared(test)).values.first(where: { !$0.isFinite }) {
            return "scored \(bad)"
        }
        return nil
    }

    /// Loads an online model, predicts and learns rows; returns what is wrong with the answers.
    private static func loadAndLearnOnline(_ url: URL, _ rows: [[Float]]) throws -> String? {
        let model = try OnlineClassifier(contentsOf: url)
        for row in rows {
            let probabilities = try model.predictProbaOne(row)
            if let bad = probabilities.values.first(where: { !$0.isFinite }) { return "predicted probability \(bad)" }
        }
        // Learning goes on without trapping (where it leads from an edited state is not checked).
        for row in rows { try model.learnOne(row, label: "1") }
        return nil
    }

    // MARK: - Mutations

    /// One mutated file: a few random edits of the JSON tree, or a cut or flipped byte.
    private static func mutate(_ json: [String: Any], _ g: inout SplitMix64, caseIndex: Int) throws -> (Data, String) {
        let text = try JSONSerialization.data(withJSONObject: json)
        switch caseIndex % 10 {
        case 0:
            let cut = Int(g.next() % UInt64(text.count))
            return (text.prefix(cut), "truncated at byte \(cut) of \(text.count)")
        case 1:
            var bytes = text
            let at = Int(g.next() % UInt64(bytes.count))
            bytes[at] ^= UInt8(1 << (g.next() % 8))
            return (bytes, "bit flipped in byte \(at)")
        default:
            var object: Any = json
            var done: [String] = []
            for _ in 0..<(1 + Int(g.next() % 3)) {
                let paths = allPaths(object)
                let path = paths[Int(g.next() % UInt64(paths.count))]
                let old = value(in: object, at: path)
                let (new, what) = mutation(of: old, &g)
                object = replacing(object, at: path[...], with: new) ?? object
                done.append("\(path.map { "\($0)" }.joined(separator: ".")): \(what)")
            }
            return (try JSONSerialization.data(withJSONObject: object), done.joined(separator: "; "))
        }
    }

    /// Every key path of `object`, containers included (array elements: at most 8 per array).
    private static func allPaths(_ object: Any, prefix: [Any] = []) -> [[Any]] {
        var paths: [[Any]] = prefix.isEmpty ? [] : [prefix]
        switch object {
        case let dictionary as [String: Any]:
            for key in dictionary.keys.sorted() { paths += allPaths(dictionary[key] as Any, prefix: prefix + [key]) }
        case let array as [Any]:
            let picks = array.count <= 8 ? Array(array.indices)
                : Array(Set([0, 1, array.count / 2, array.count - 2, array.count - 1] + (0..<3).map { $0 * 7 % array.count })).sorted()
            for index in picks { paths += allPaths(array[index], prefix: prefix + [index]) }
        default:
            break
        }
        return paths
    }

    /// A replacement for `old` (nil: remove it) and a word for the report.
    private static func mutation(of old: Any?, _ g: inout SplitMix64) -> (Any?, String) {
        let swaps: [Any?] = [nil, NSNull(), "x", 0, -1, [Any](), [String: Any](), true, 1.5]
        if g.next() % 5 == 0 {
            let new = swaps[Int(g.next() % UInt64(swaps.count))]
            return (new, "type swapped to \(new.map { "\($0)" } ?? "nothing")")
        }
        switch old {
        case let dictionary as [String: Any]:
            guard let key = dictionary.keys.sorted().randomElement(using: &g) else { return ([String: Any](), "emptied") }
            var changed = dictionary
            changed[key] = nil
            return (changed, "key \(key) removed")
        case let array as [Any]:
            var changed = array
            switch g.next() % 5 {
            case 0: changed = []
            case 1 where !changed.isEmpty: changed.removeLast(max(1, changed.count / 3))
            case 2 where !changed.isEmpty: changed.append(changed[Int(g.next() % UInt64(changed.count))])
            case 3: changed.reverse()
            default: if !changed.isEmpty { changed.remove(at: Int(g.next() % UInt64(changed.count))) }
            }
            return (changed, "array of \(array.count) became \(changed.count)")
        case let string as String:
            if let floats = base64Floats(string) { return mutatedPayload(floats, &g) }
            let choices = ["", String(string.prefix(string.count / 2)), string + "x", "ÿ\u{0}"]
            let new = choices[Int(g.next() % UInt64(choices.count))]
            return (new, "string became \(new.debugDescription.prefix(20))")
        case let number as NSNumber:
            let picks: [Any] = [0, -1, 1, -7, 100_000, 2_147_483_647, -2_147_483_648, 4_611_686_018_427_387_904,
                                1e300, -1e300, 0.5, 1e-30, number.doubleValue * 2 + 1, number.intValue &+ 1, number.intValue &- 1]
            let new = picks[Int(g.next() % UInt64(picks.count))]
            return (new, "number \(number) became \(new)")
        default:
            let new = swaps[Int(g.next() % UInt64(swaps.count))]
            return (new, "value became \(new.map { "\($0)" } ?? "nothing")")
        }
    }

    /// The floats of a base64 float32 payload, or nil for another string.
    private static func base64Floats(_ text: String) -> [Float]? {
        guard text.count >= 8, let data = Data(base64Encoded: text), data.count % 4 == 0 else { return nil }
        return try? packedFloats(["float32LittleEndianBase64": text])
    }

    /// A damaged float payload: a value made NaN, infinite, huge or bit-flipped, or a shorter payload.
    private static func mutatedPayload(_ floats: [Float], _ g: inout SplitMix64) -> (Any?, String) {
        var changed = floats
        guard !changed.isEmpty else { return (packedPayload([1]), "payload grown") }
        let at = Int(g.next() % UInt64(changed.count))
        switch g.next() % 6 {
        case 0: changed[at] = .nan
        case 1: changed[at] = -.infinity
        case 2: changed[at] = 1e20
        case 3: changed[at] = Float(bitPattern: changed[at].bitPattern ^ (1 << UInt32(g.next() % 32)))
        case 4: changed.removeLast()
        default: changed[at] = -changed[at]
        }
        return (packedPayload(changed), "payload value \(at) became \(changed.indices.contains(at) ? changed[at] : .nan)")
    }
}

/// How one fuzz case ended: loaded (with what was wrong with its predictions, if anything),
/// refused with an error, or still running at the time limit.
private enum FuzzOutcome: Sendable { case loaded(String?), refused, timedOut }

/// The outcome a fuzz worker thread hands back (written once, before the semaphore is signalled).
private final class OutcomeBox: @unchecked Sendable {
    var value: FuzzOutcome?
}

/// SplitMix64: a small seeded generator, so every run makes the same mutations.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
