import ArgumentParser
import FeatureStore
import Foundation
import LinearAlgebra

/// `spotcheck-bench store`: feature-store write throughput next to a raw `write(2)` of the same
/// bytes (the ceiling), and the CSV export rate.
struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Feature-store write rate vs raw write(2), and CSV export rate."
    )

    @Option(help: "Rows written per run.")
    var rows = 100_000

    @Option(help: "Features per row.")
    var dim = 1280

    @Option(help: "Rows per appended batch (as extraction would append them).")
    var batch = 1000

    @Option(help: "Rows exported to CSV per run.")
    var csvRows = 10_000

    @Option(help: "Runs of each measurement; the median is reported.")
    var repeats = 5

    @Option(help: "Scratch directory (files are removed afterwards).")
    var directory = NSTemporaryDirectory()

    func run() throws {
        let scratch = URL(fileURLWithPath: directory).appendingPathComponent("spotcheck-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let (batches, labels, paths) = makeData()
        let megabytes = Double(rows * dim * MemoryLayout<Float>.size) / 1e6
        let store = scratch.appendingPathComponent("bench.h5")
        let raw = scratch.appendingPathComponent("bench.raw")

        let storeTimes = try median(repeats) {
            try? FileManager.default.removeItem(at: store)
            return try time { try writeStore(store, batches, labels, paths) }
        }
        let rawTimes = try median(repeats) {
            try time { try writeRaw(raw, batches) }
        }
        print("feature store write \(rows) × \(dim) float32 (\(String(format: "%.0f", megabytes)) MB), "
            + "median of \(repeats) (wall; CPU of this process beside it):")
        print(String(format: "  store    %.3f s  %7.0f MB/s  (CPU %.3f s)", storeTimes.wall,
                     megabytes / storeTimes.wall, storeTimes.cpu))
        print(String(format: "  write(2) %.3f s  %7.0f MB/s  (CPU %.3f s)  ceiling", rawTimes.wall,
                     megabytes / rawTimes.wall, rawTimes.cpu))
        print(String(format: "  store / ceiling: %.2f (wall), %.2f (CPU)", rawTimes.wall / storeTimes.wall,
                     rawTimes.cpu / storeTimes.cpu))

        let csvStore = scratch.appendingPathComponent("csv.h5")
        let csvCount = min(csvRows, rows)
        try writeStore(csvStore, Array(batches.prefix((csvCount + batch - 1) / batch)), labels, paths)
        let reader = try FeatureStoreReader(url: csvStore)
        let isTest = (0..<reader.rowCount).map { $0 % 5 == 0 }
        let train = scratch.appendingPathComponent("train.csv").path
        let test = scratch.appendingPathComponent("test.csv").path
        var csvBytes = 0
        let csvTimes = try median(repeats) {
            let times = try time {
                try reader.exportCSV(trainPath: train, testPath: test, isTest: isTest, overwrite: true)
            }
            csvBytes = try [train, test].reduce(0) { total, path in
                total + ((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
            }
            return times
        }
        let values = Double(reader.rowCount * dim)
        print("CSV export of \(reader.rowCount) × \(dim), median of \(repeats):")
        print(String(format: "  %.3f s  %.1f M values/s  %.0f MB/s of CSV  %.0f rows/s  (CPU %.3f s: %.1f M values/s)",
                     csvTimes.wall, values / csvTimes.wall / 1e6, Double(csvBytes) / csvTimes.wall / 1e6,
                     Double(reader.rowCount) / csvTimes.wall, csvTimes.cpu, values / csvTimes.cpu / 1e6))
    }

    /// Seeded random rows in batches of `batch` rows, with labels and paths.
    private func makeData() -> (batches: [Matrix], labels: [Int], paths: [String]) {
        var generator = SeededGenerator(seed: 42)
        let batches = stride(from: 0, to: rows, by: batch).map { start in
            let count = min(batch, rows - start)
            return Matrix(rows: count, columns: dim,
                          values: (0..<count * dim).map { _ in Float.random(in: -4...4, using: &generator) })
        }
        let labels = (0..<rows).map { $0 % 10 }
        let paths = (0..<rows).map { "class_\($0 % 10)/image_\($0).png" }
        return (batches, labels, paths)
    }

    private func writeStore(_ url: URL, _ batches: [Matrix], _ labels: [Int], _ paths: [String]) throws {
        var attributes = FeatureStoreAttributes()
        attributes.extractor = "bench"
        let writer = try FeatureStoreWriter(creating: url, dimension: dim, labelNames: (0..<10).map { "class_\($0)" },
                                            attributes: attributes, overwrite: true)
        var start = 0
        for matrix in batches {
            let range = start ..< start + matrix.rows
            try writer.append(features: matrix, labels: Array(labels[range]), paths: Array(paths[range]))
            start += matrix.rows
        }
        try writer.finish()
    }

    private func writeRaw(_ url: URL, _ batches: [Matrix]) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw ValidationError("cannot create \(url.path)") }
        defer { close(descriptor) }
        for matrix in batches {
            let complete = matrix.values.withUnsafeBytes { bytes in
                write(descriptor, bytes.baseAddress, bytes.count) == bytes.count
            }
            guard complete else { throw ValidationError("short write to \(url.path)") }
        }
    }

    /// Wall-clock and CPU seconds of one run of `body`.
    private func time(_ body: () throws -> Void) throws -> (wall: Double, cpu: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuSeconds()
        try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpuSeconds() - cpuStart)
    }

    /// CPU time of this process so far (user + system), to tell contention on a shared machine.
    private func cpuSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The medians of wall and CPU seconds over `count` runs.
    private func median(_ count: Int, _ measure: () throws -> (wall: Double, cpu: Double)) throws -> (wall: Double, cpu: Double) {
        let samples = try (0..<max(1, count)).map { _ in try measure() }
        let wall = samples.map(\.wall).sorted(), cpu = samples.map(\.cpu).sorted()
        return (wall[wall.count / 2], cpu[cpu.count / 2])
    }
}
