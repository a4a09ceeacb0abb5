import ArgumentParser
import Dispatch
import Extractor
import Foundation
import LinearAlgebra

/// `spotcheck bench model`: forward-only throughput of one or every backbone on a fixed
/// preprocessed batch, as the median of timed calls, with the achieved GFLOP/s.
struct BenchModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Forward-only images/s and GFLOP/s of a backbone (median of repeated batches).")

    @Option(name: .long, help: "Backbone name, or 'all'.")
    var model: String = "all"

    @Option(name: .long, help: "Images per batch.")
    var batch: Int = 16

    @Option(name: .long, help: "Threads (the network's loops and its per-thread sgemm calls).")
    var threads: Int = 2

    @Option(name: .long, help: "Timed batches per model (after two warm-up batches).")
    var repeats: Int = 10

    @Option(name: .long, help: "Seed of the synthetic input values.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "A folder of images: also measure end to end (decode + preprocess + forward).")
    var images: String?

    /// CPU seconds used by every thread of this process so far (wall time alone misleads on a
    /// shared machine: the CPU time per batch shows the work actually done).
    private func processCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Decodes, preprocesses and runs every image of `folder` once (the decoder pool's workers
    /// and the network share the `threads` cores) and prints the images/s of the whole pass.
    private func endToEnd(_ backbone: Backbone, folder: String) throws {
        let dataset = try DatasetDiscovery.discover(at: URL(fileURLWithPath: folder))
        let urls = dataset.samples.map(\.url)
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = processCPUTime()
        let pool = try DecoderPool(urls: urls, preset: backbone.descriptor.preprocessing, batchSize: batch,
                                   threads: threads)
        var done = 0
        for decoded in pool {
            _ = try backbone.features(batch: decoded.images)
            done += decoded.images.count
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "%-19@ %7.1f img/s  end to end on %d images of %@ (CPU %.1f ms per image)",
                     backbone.name, Double(done) / seconds, done, folder,
                     (processCPUTime() - cpuStart) * 1000 / Double(max(done, 1))))
    }

    func validate() throws {
        guard batch > 0, threads > 0, repeats > 0 else {
            throw ValidationError("--batch, --threads and --repeats must be positive")
        }
    }

    func run() throws {
        let names = model == "all" ? BackboneRegistry.names : [model]
        print("forward only, batch \(batch), \(threads) threads, median of \(repeats) batches")
        for name in names {
            let backbone = try BackboneRegistry.load(name, threads: threads)
            let side = backbone.descriptor.inputSize
            var generator = SeededGenerator(seed: seed)
            let values = (0..<(batch * 3 * side * side)).map { _ in Float.random(in: -1...1, using: &generator) }
            let input = ImageBatch(count: batch, channels: 3, height: side, width: side, values: values)
            var seconds = [Double]()
            var cpuSeconds = [Double]()
            for index in 0..<(repeats + 2) {
                let start = DispatchTime.now().uptimeNanoseconds
                let cpuStart = processCPUTime()
                _ = try backbone.features(batch: input)
                if index >= 2 {
                    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    cpuSeconds.append(processCPUTime() - cpuStart)
                }
            }
            let median = seconds.sorted()[seconds.count / 2]
            let cpuMedian = cpuSeconds.sorted()[cpuSeconds.count / 2]
            let rate = Double(batch) / median
            let gflops = Double(backbone.flopsPerImage) * rate / 1e9
            print(String(format: "%-19@ %7.1f img/s  %6.1f GFLOP/s  (%.3f GFLOP/img, median batch %.1f ms, CPU %.1f ms)",
                         name, rate, gflops, Double(backbone.flopsPerImage) / 1e9, median * 1000, cpuMedian * 1000))
            if let images { try endToEnd(backbone, folder: images) }
        }
    }
}
