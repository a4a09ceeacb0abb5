import ArgumentParser
import ClassicML
import Foundation
import LinearAlgebra

/// `spotcheck-bench classifiers`: fit seconds of each classifier on seeded synthetic data with
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
    @Option(parsing: .upToNextOption, help: "Only these cases (names as listed by the output), or any classifier spec (e.g. BaggingClf-10, HistGradientBoostingClf:max_iter=10), timed as the grid runs it.")
    var only: [String] = []
    @Option(help: "Also write the data as x.npy and y.npy into this folder.") var dump: String?
    @Option(help: "Time this spot-check grid's entries (default, cookbook or full; scaler included, 80/20 split, fit and predict apart) instead.")
    var grid: String?

    func run() throws {
        let pool = try grid.map { try ClassifierBenchCase.grid(ClassifierGrid(parsing: $0)) } ?? ClassifierBenchCase.all
        let named = Set(pool.map(\.name))
        let specs = try only.filter { !named.contains($0) }.map { try ClassifierBenchCase.evaluating(ClassifierSpec(parsing: $0)) }
        let cases = pool.filter { only.isEmpty || only.contains($0.name) } + specs
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
        var total = 0.0, totalCPU = 0.0
        for benchCase in cases {
            var seconds = [Double](), cpu = [Double]()
            var note = ""
            for _ in 0..<max(1, repeats) {
                let start = DispatchTime.now().uptimeNanoseconds, startCPU = Self.processCPUSeconds()
                note = try benchCase.fit(x, y)
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                cpu.append(Self.processCPUSeconds() - startCPU)
            }
            let median = seconds.sorted()[seconds.count / 2], medianCPU = cpu.sorted()[cpu.count / 2]
            total += median
            totalCPU += medianCPU
            print(benchCase.name.padding(toLength: max(30, benchCase.name.count + 1), withPad: " ", startingAt: 0)
                  + String(format: "%8.3f s  (cpu %.3f s)", median, medianCPU) + "   " + note)
        }
        if cases.count > 1 {
            print("total".padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: "%8.3f s  (cpu %.3f s)", total, totalCPU))
        }
    }

    /// CPU seconds used so far by every thread of this process (user + system).
    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// One named benchmark case: fits a classifier and returns a short note (iterations, epochs).
struct ClassifierBenchCase: Sendable {
    let name: String
    let fit: @Sendable (Matrix, [Int]) throws -> String

    /// Every case, in output order. Each group lives in its own file; add a group here.
    static var all: [ClassifierBenchCase] { linear + core + families }
}
