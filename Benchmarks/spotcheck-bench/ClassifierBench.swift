import ArgumentParser
import ClassicML
import Foundation
import LinearAlgebra

/// `spotcheck bench classifiers`: fit seconds of each classifier on seeded synthetic data with
/// class structure (the cookbook's flowers17/VGG16 shape by default), as medians of repeats.
/// `--dump DIR` also writes the data as `x.npy` / `y.npy` for `scripts/bench/sklearn_fit_times.py`,
/// which times scikit-learn on the same matrix.
struct ClassifierBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifiers",
        abstract: "Fit time of each classifier on synthetic features (median of repeats).")

    @Option(help: "Samples.") var rows = 1088
    @Option(help: "Features per sample.") var dim = 25088
    @Option(help: "Classes.") var classes = 17
    @Option(help: "Fits per classifier; the median is reported.") var repeats = 3
    @Option(help: "Seed of the synthetic data.") var seed: UInt64 = 42
    @Option(help: "Scale of the class centres relative to the noise (smaller is harder).") var separation: Float = 0.5
    @Option(parsing: .upToNextOption, help: "Only these cases (names as listed by the output).")
    var only: [String] = []
    @Option(help: "Also write the data as x.npy and y.npy into this folder.") var dump: String?
    @Flag(help: "Time the spot-check grid's entries (scaler included, 80/20 split, fit and predict apart) instead.")
    var grid = false

    func run() throws {
        let pool = grid ? ClassifierBenchCase.grid : ClassifierBenchCase.all
        let cases = pool.filter { only.isEmpty || only.contains($0.name) }
        guard !cases.isEmpty else {
            throw ValidationError("no case matches --only; cases: \(pool.map(\.name).joined(separator: ", "))")
        }
        let (x, y) = SyntheticClassification.make(rows: rows, dim: dim, classes: classes,
                                                   separation: separation, seed: seed)
        if let dump {
            let folder = URL(fileURLWithPath: dump)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try NumpyFile.write(x, to: folder.appendingPathComponent("x.npy"))
            try NumpyFile.write(y, to: folder.appendingPathComponent("y.npy"))
        }
        print("classifier fit on \(rows) × \(dim) float32, \(classes) classes, separation \(separation), \(BLAS.threads) BLAS threads, median of \(repeats)")
        for benchCase in cases {
            var seconds = [Double]()
            var note = ""
            for _ in 0..<max(1, repeats) {
                let start = DispatchTime.now().uptimeNanoseconds
                note = try benchCase.fit(x, y)
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            let median = seconds.sorted()[seconds.count / 2]
            print(benchCase.name.padding(toLength: 30, withPad: " ", startingAt: 0)
                  + String(format: "%8.3f s", median) + "   " + note)
        }
    }
}

/// One named benchmark case: fits a classifier and returns a short note (iterations, epochs).
struct ClassifierBenchCase: Sendable {
    let name: String
    let fit: @Sendable (Matrix, [Int]) throws -> String

    /// Every case, in output order. Each group lives in its own file; add a group here.
    static var all: [ClassifierBenchCase] { linear + core }
}
