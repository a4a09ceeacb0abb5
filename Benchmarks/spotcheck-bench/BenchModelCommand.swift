import ArgumentParser
import Dispatch
import Extractor
import Foundation
import LinearAlgebra

/// `spotcheck-bench model`: a backbone's cold start (weights read + JIT compilation of its
/// primitives), its forward-only throughput (median of timed batches, with GFLOP/s), and
/// optionally end to end from image files (decode + preprocess + forward + feature-store
/// write). When the reference toolkit's venv and `peer_throughput.py` are present, every round
/// also measures ONNX Runtime on the same weights and batches and prints our ratio to it; the
/// two alternate which goes first from round to round.
struct BenchModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Cold start, forward and end-to-end images/s of a backbone, next to ONNX Runtime when available.")

    @Option(name: .long, help: "Backbone name, or 'all'.")
    var model: String = "all"

    @Option(name: .long, help: "Images per batch.")
    var batch: Int = 16

    @Option(name: .long, help: "Threads of the network's OpenMP team (and ONNX Runtime's intra-op threads).")
    var threads: Int = 2

    @Option(name: .long, help: "Decoder threads end to end (default: --threads, as run and predict use).")
    var decoders: Int?

    @Option(name: .long, help: "Timed batches per forward measurement (after two warm-up batches).")
    var repeats: Int = 10

    @Option(name: .long, help: "Rounds per model (ours and ONNX Runtime alternate; medians are reported).")
    var rounds: Int = 1

    @Option(name: .long, help: "Seed of the synthetic input values (used without --images).")
    var seed: UInt64 = 42

    @Option(name: .long, help: "A folder of images: the forward input, and an end-to-end measurement.")
    var images: String?

    @Flag(name: .long, help: "Re-encode --images as baseline JPEGs (q90) first, so both engines decode JPEG.")
    var jpeg = false

    @Flag(name: .long, help: "With --images, measure the forward pass only (no end to end, for ONNX Runtime neither).")
    var forwardOnly = false

    @Option(name: .long, help: "peer_throughput.py of the reference toolkit, or 'none' (default: $SPOTCHECK_PEER_TOOLS or ../shared/tools).")
    var peer: String?

    @Option(name: .long, help: "Seconds of steady state per ONNX Runtime measurement.")
    var peerSeconds: Double = 2

    func validate() throws {
        guard batch > 0, threads > 0, repeats > 0, rounds > 0, (decoders ?? 1) > 0, peerSeconds > 0 else {
            throw ValidationError("--batch, --threads, --decoders, --repeats, --rounds and --peer-seconds must be positive")
        }
        if jpeg && images == nil { throw ValidationError("--jpeg re-encodes --images: give --images too") }
    }

    func run() throws {
        let names = model == "all" ? BackboneRegistry.names : [model]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-bench-model-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: (folder: String, urls: [URL])?
        if let images {
            let urls = try DatasetDiscovery.discover(at: URL(fileURLWithPath: images)).samples.map(\.url)
            guard !urls.isEmpty else { throw ValidationError("no images under \(images)") }
            if jpeg {
                let copies = folder.appendingPathComponent("jpeg")
                try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
                files = (copies.path, try ModelEndToEnd.jpegCopies(of: urls, in: copies))
            } else {
                files = (images, urls)
            }
        }
        let located: (peer: PeerThroughput?, reason: String) =
            peer == "none" ? (nil, "--peer none") : PeerThroughput.locate(script: peer)
        let decoderThreads = decoders ?? threads
        print("batch \(batch), \(threads) OpenMP threads, \(decoderThreads) decoder threads end to end, "
              + "forward = median of \(repeats) batches, \(rounds) round(s)")
        if files != nil, located.peer == nil { print("ONNX Runtime not measured: \(located.reason)") }
        if files == nil { print("ONNX Runtime and end to end not measured: give --images") }
        for name in names {
            try bench(name, files: files, peer: files == nil ? nil : located.peer, decoders: decoderThreads,
                      folder: folder)
        }
    }

    private func bench(_ name: String, files: (folder: String, urls: [URL])?, peer: PeerThroughput?, decoders: Int,
                       folder: URL) throws {
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let backbone = try BackboneRegistry.load(name, threads: threads)
        let loaded = seconds(since: loadStart)
        let input = try forwardInput(backbone, files: files?.urls)
        let jitStart = DispatchTime.now().uptimeNanoseconds
        _ = try backbone.features(batch: input)
        let firstBatch = seconds(since: jitStart)
        print(String(format: "%@: cold start %.2f s (weights %.2f s, first batch incl. JIT %.2f s); %.3f GFLOP/img",
                     name, loaded + firstBatch, loaded, firstBatch, Double(backbone.flopsPerImage) / 1e9))
        let e2eURLs = forwardOnly ? nil : files.map { Array(repeating: $0.urls, count: max(1, (8 * batch + $0.urls.count - 1) / $0.urls.count)).flatMap { $0 } }
        var rows: [[Double?]] = []
        for round in 0..<rounds {
            var ours = 0.0, ortForward: Double?, ortEndToEnd: Double?, oursEndToEnd: Double?
            let measureOurs = {
                ours = try forwardRate(backbone, input)
                if let urls = e2eURLs {
                    oursEndToEnd = try ModelEndToEnd.rate(backbone, urls: urls, batch: batch, decoders: decoders,
                                                          folder: folder)
                }
            }
            let measurePeer = {
                guard let peer, let files else { return }
                let rates = try peer.measure(name, images: files.folder, batch: batch, threads: threads,
                                             seconds: peerSeconds, endToEnd: !forwardOnly)
                (ortForward, ortEndToEnd) = (rates.forward, rates.endToEnd)
            }
            if round % 2 == 0 { try measureOurs(); try measurePeer() } else { try measurePeer(); try measureOurs() }
            let row = [ours, ortForward, ortForward.map { ours / $0 }, oursEndToEnd, ortEndToEnd,
                       ortEndToEnd.flatMap { e in oursEndToEnd.map { $0 / e } }]
            rows.append(row)
            print("  round \(round + 1): " + describe(row, backbone: backbone))
        }
        if rounds > 1 {
            let medians = (0..<6).map { column -> Double? in
                let values = rows.compactMap { $0[column] }.sorted()
                guard !values.isEmpty else { return nil }
                return (values[(values.count - 1) / 2] + values[values.count / 2]) / 2
            }
            let ratios = rows.compactMap { $0[2] }
            let range = ratios.isEmpty ? "" : String(format: " (forward ratio %.2f–%.2f)", ratios.min() ?? 0, ratios.max() ?? 0)
            print("  median:  " + describe(medians, backbone: backbone) + range)
        }
    }

    /// "ours img/s (GFLOP/s) | ORT img/s | ratio | end to end ours | ORT + Pillow | ratio".
    private func describe(_ row: [Double?], backbone: Backbone) -> String {
        func number(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "—" }
        let gflops = (row[0] ?? 0) * Double(backbone.flopsPerImage) / 1e9
        return "forward \(number(row[0], "%.1f")) img/s (\(String(format: "%.0f", gflops)) GFLOP/s), "
            + "ORT \(number(row[1], "%.1f")), ratio \(number(row[2], "%.2f")); "
            + "end to end \(number(row[3], "%.1f")), ORT + Pillow \(number(row[4], "%.1f")), ratio \(number(row[5], "%.2f"))"
    }

    /// The first `batch` images of `urls` (cycled) preprocessed, or seeded noise without images.
    private func forwardInput(_ backbone: Backbone, files: [URL]?) throws -> ImageBatch {
        let side = backbone.descriptor.inputSize
        let size = 3 * side * side
        var values = [Float](repeating: 0, count: batch * size)
        if let files {
            let preprocessor = try ImagePreprocessor(preset: backbone.descriptor.preprocessing)
            try values.withUnsafeMutableBufferPointer { buffer in
                for index in 0..<batch {
                    try preprocessor.preprocess(contentsOf: files[index % files.count],
                                                into: UnsafeMutableBufferPointer(rebasing: buffer[(index * size)..<((index + 1) * size)]))
                }
            }
        } else {
            var generator = SeededGenerator(seed: seed)
            for index in values.indices { values[index] = Float.random(in: -1...1, using: &generator) }
        }
        return ImageBatch(count: batch, channels: 3, height: side, width: side, values: values)
    }

    /// Images/s at the median of `repeats` timed batches, after two warm-up batches.
    private func forwardRate(_ backbone: Backbone, _ input: ImageBatch) throws -> Double {
        var times: [Double] = []
        for index in 0..<(repeats + 2) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try backbone.features(batch: input)
            if index >= 2 { times.append(seconds(since: start)) }
        }
        return Double(batch) / times.sorted()[times.count / 2]
    }

    private func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
