import ArgumentParser
import Extractor
import Foundation
import LinearAlgebra

/// `spotcheck-bench decode`: decoded + preprocessed images per second (torchvision preset,
/// 224² output) through the decoder pool, next to the raw decode rate (libjpeg-turbo /
/// libpng alone, same threads, same run) as the ceiling; on a dataset folder and on generated
/// 500×500 baseline JPEGs.
struct DecodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Images/s of decode + resize + crop + normalise vs. raw decode (medians).")

    @Option(help: "Dataset folder (DIR/<class>/<image> or DIR/images/<class>/<image>).")
    var images: String

    @Option(help: "Comma-separated worker thread counts.")
    var threads: String = "1,2"

    @Option(help: "How many 500×500 baseline JPEGs (quality 90) to generate.")
    var jpegs: Int = 300

    @Option(help: "Timed repetitions per measurement (the median is reported).")
    var repeats: Int = 5

    @Option(help: "Images per batch.")
    var batchSize: Int = 32

    func run() throws {
        let threadCounts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !threadCounts.isEmpty, threadCounts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--threads needs positive integers, e.g. 1,2")
        }
        let dataset = try DatasetDiscovery.discover(at: URL(fileURLWithPath: images))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let synthetic = try Self.makeJPEGs(count: jpegs, in: folder)

        print("preset: \(Preprocessing.torchvision.name); batch \(batchSize); median of \(repeats) runs")
        print("img/s = wall clock; img/CPU-s = images per second of process CPU time (load-independent)")
        print("set | threads | raw decode img/s (ceiling) | decode+preprocess img/s | ratio | raw decode img/CPU-s | decode+preprocess img/CPU-s")
        print("--- | ---: | ---: | ---: | ---: | ---: | ---:")
        for (name, urls) in [("\(images) (\(dataset.samples.count) files)", dataset.samples.map(\.url)),
                             ("500×500 baseline JPEG q90 (\(synthetic.count) files)", synthetic)] {
            for count in threadCounts {
                let ceiling = try median { try Self.decodeOnly(urls, threads: count) }
                let full = try median { try Self.pipeline(urls, threads: count, batchSize: batchSize) }
                let n = Double(urls.count)
                print(String(format: "%@ | %d | %.0f | %.0f | %.2f | %.0f | %.0f", name, count, n / ceiling.wall,
                             n / full.wall, ceiling.wall / full.wall, n / ceiling.cpu, n / full.cpu))
            }
        }
    }

    /// Median wall time and median process CPU time (all threads) of `repeats` runs, after one
    /// warm-up run (page cache, buffers). CPU time shows the per-core cost on a busy machine.
    private func median(_ body: () throws -> Void) throws -> (wall: Double, cpu: Double) {
        try body()
        var walls: [Double] = [], cpus: [Double] = []
        for _ in 0..<max(repeats, 1) {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Self.cpuSeconds()
            try body()
            walls.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            cpus.append(Self.cpuSeconds() - cpuStart)
        }
        return (walls.sorted()[walls.count / 2], cpus.sorted()[cpus.count / 2])
    }

    private static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Decode only (no resize), files split across `threads` threads, one decoder each.
    private static func decodeOnly(_ urls: [URL], threads: Int) throws {
        let failures = FailureCount()
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            let decoder = ImageDecoder()
            for index in stride(from: worker, to: urls.count, by: threads) {
                do {
                    try decoder.withDecodedPixels(contentsOf: urls[index]) { _, _, _ in }
                } catch {
                    failures.add()
                }
            }
        }
        if failures.value > 0 { throw ValidationError("\(failures.value) files failed to decode") }
    }

    /// The full pipeline through the decoder pool.
    private static func pipeline(_ urls: [URL], threads: Int, batchSize: Int) throws {
        let pool = try DecoderPool(urls: urls, preset: .torchvision, batchSize: batchSize, threads: threads)
        var failed = 0
        for batch in pool { failed += batch.failures.count }
        if failed > 0 { throw ValidationError("\(failed) files failed to decode") }
    }

    /// Photo-like 500×500 images (gradients, waves, seeded noise) saved as baseline JPEGs.
    private static func makeJPEGs(count: Int, in folder: URL) throws -> [URL] {
        var generator = SeededGenerator(seed: 42)
        var pixels = [UInt8](repeating: 0, count: 500 * 500 * 3)
        return try (0..<count).map { index in
            let phase = Double.random(in: 0..<6.28, using: &generator)
            let frequency = Double.random(in: 0.01..<0.08, using: &generator)
            for y in 0..<500 {
                for x in 0..<500 {
                    let wave = 60 * sin(Double(x) * frequency + phase) * cos(Double(y) * frequency * 0.7)
                    for channel in 0..<3 {
                        let base = Double(channel == 0 ? x : channel == 1 ? y : (x + y) / 2) * 0.4 + 40 + wave
                        let noise = Double(Int(generator.next() % 25)) - 12
                        pixels[(y * 500 + x) * 3 + channel] = UInt8(max(0, min(255, base + noise)))
                    }
                }
            }
            let url = folder.appendingPathComponent(String(format: "%04d.jpg", index))
            try JPEGEncoder.write(RGBImage(width: 500, height: 500, pixels: pixels), to: url, quality: 90)
            return url
        }
    }
}

/// A counter shared by the decode-only threads.
private final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
