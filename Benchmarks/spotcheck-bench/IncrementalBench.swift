import ArgumentParser
import ClassicML
import FeatureStore
import Foundation
import LinearAlgebra

/// `spotcheck-bench incremental`: rows/s of `spotcheck incremental`'s loop (parse + scale +
/// predict + learn, i.e. progressive validation) next to the CSV parse alone, its ceiling.
struct IncrementalBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incremental",
        abstract: "Rows/s of online learning from CSV (end to end) and of parsing alone (the ceiling).",
        discussion: """
        Without --csv, writes a synthetic CSV (seeded; ~30% zeros like ReLU features, values \
        printed shortest-round-trip) to a temporary file, measures, and deletes it. \
        --generate only writes such a file (e.g. a multi-GB one for the memory check).
        """
    )

    @Option(help: "Features per row of the synthetic file.")
    var features = 1280

    @Option(help: "Rows of the synthetic file.")
    var rows = 20_000

    @Option(help: "Classes of the synthetic file.")
    var classes = 5

    @Option(help: "Measure this CSV instead of a synthetic one.")
    var csv: String?

    @Option(help: "Only write the synthetic CSV to this path (refuses to overwrite).")
    var generate: String?

    @Option(help: "Timed repetitions (the median is reported).")
    var repeats = 3

    @Option(help: "Binary learner inside one-vs-rest.")
    var learner: OnlineLearner = .logreg

    @Option(help: "Random seed of the synthetic file.")
    var seed: UInt64 = 42

    func run() throws {
        if let generate {
            try SyntheticCSV(features: features, rows: rows, classes: classes, seed: seed).write(to: generate)
            return
        }
        var temporary: String?
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        let path: String
        if let csv {
            path = csv
        } else {
            let made = FileManager.default.temporaryDirectory.appendingPathComponent("bench-incremental-\(UUID()).csv").path
            try SyntheticCSV(features: features, rows: rows, classes: classes, seed: seed).write(to: made)
            temporary = made
            path = made
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var parse: [Double] = [], learn: [Double] = []
        var count = 0, width = 0
        for _ in 0..<max(1, repeats) {
            let (parseRate, n, w) = try measure(path, learning: false)
            let (learnRate, _, _) = try measure(path, learning: true)
            parse.append(parseRate)
            learn.append(learnRate)
            count = n
            width = w
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        print("rates per second of CPU time (single thread), medians of \(max(1, repeats))")
        print("file: \(path) (\(count) rows × \(width) features, \(size / 1_000_000) MB)")
        print(String(format: "parse only:              %10.0f rows/s  (%.0f MB/s)",
                     median(parse), median(parse) * Double(size) / Double(max(count, 1)) / 1e6))
        print(String(format: "end to end (%@): %10.0f rows/s  (%.0f%% of the parse ceiling)",
                     learner.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0),
                     median(learn), 100 * median(learn) / median(parse)))
    }

    /// This thread's CPU time: the loop is single-threaded, and on a shared machine wall time
    /// also counts other processes' turns.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// One pass: parse only, or the progressive-validation loop. Returns rows/s, rows, width.
    private func measure(_ path: String, learning: Bool) throws -> (Double, Int, Int) {
        let reader = try CSVFloatReader(path: path)
        let model = try OnlineClassifier(featureCount: reader.featureCount, learner: learner)
        var row = [Float](repeating: 0, count: reader.featureCount)
        var count = 0, correct = 0
        let start = Self.cpuSeconds()
        while let label = try reader.readRow(into: &row) {
            if learning {
                if try model.predictOne(row) == label { correct += 1 }
                try model.learnOne(row, label: label)
            }
            count += 1
        }
        let seconds = Self.cpuSeconds() - start
        if learning {
            FileHandle.standardError.write(Data(String(format: "progressive accuracy %.2f%%\n",
                                                      100 * Double(correct) / Double(max(count, 1))).utf8))
        }
        return (Double(count) / seconds, count, reader.featureCount)
    }
}

/// A seeded synthetic CSV like pooled CNN features: `class,feature_0,…`, ~30% zeros, the
/// other values uniform in [0, 2) plus 1 on the features of the row's class (j mod C = class).
struct SyntheticCSV {
    let features: Int
    let rows: Int
    let classes: Int
    let seed: UInt64

    /// Writes the file through a temporary name; refuses to overwrite an existing file.
    /// - Parameter path: the CSV to create.
    /// - Throws: `ValidationError` when it exists or cannot be written.
    func write(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) exists; remove it or choose another path")
        }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial) else {
            throw ValidationError("cannot create \(partial); check the directory exists and is writable")
        }
        var generator = SeededGenerator(seed: seed)
        handle.write(Data(("class," + (0..<features).map { "feature_\($0)" }.joined(separator: ",") + "\n").utf8))
        var text = ""
        for r in 0..<rows {
            let label = Int(generator.next() % UInt64(classes))
            text += String(label)
            for j in 0..<features {
                let bits = generator.next()
                if bits % 10 < 3 {
                    text += ",0"
                } else {
                    let value = Float(bits >> 40) / Float(1 << 23) + (j % classes == label ? 1 : 0)
                    text += ",\(value)"
                }
            }
            text += "\n"
            if text.utf8.count > 1 << 22 || r == rows - 1 {
                handle.write(Data(text.utf8))
                text = ""
            }
        }
        try handle.close()
        guard rename(partial, path) == 0 else {
            throw ValidationError("cannot rename \(partial) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}

extension OnlineLearner: ExpressibleByArgument {}
