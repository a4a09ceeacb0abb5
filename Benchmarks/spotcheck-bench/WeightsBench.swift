import ArgumentParser
import Extractor
import Foundation

/// `spotcheck-bench weights`: load time of the pretrained weight files next to the floor of only
/// reading the file into memory, plus SHA-256 throughput next to coreutils `sha256sum`.
struct WeightsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Time checkpoint loading and SHA-256 of the pretrained weight files (medians)."
    )

    @Option(help: "Timed runs per file (the median is reported).")
    var repeats = 7

    @Argument(help: "Weight files (default: the five files scripts/setup fetches).")
    var files: [String] = []

    /// The five files scripts/setup puts in the weights directory.
    static let defaultFiles = ["mobilenet_v2-b0353104.pth", "efficientnet-lite0-57934424.pth",
                               "efficientnet-lite1-77cc7160.pth", "efficientnet-lite2-9656183e.pth",
                               "squeezenet_weights.pkl"]

    mutating func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    }

    mutating func run() throws {
        let urls = files.isEmpty ? WeightsBench.defaultFiles.map(WeightsDirectory.file)
            : files.map { URL(fileURLWithPath: $0) }
        print("file                                  MB      read ms   load ms     load/read   sha256 MB/s  sha256sum MB/s")
        for url in urls {
            let size = Double(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0) / 1e6
            let read = try median { _ = try Checkpoint.readBytes(url) }
            let load = try median { _ = try Checkpoint(contentsOf: url) }
            let hash = try median { _ = try SHA256.hexDigest(of: url) }
            let peer = try median { try WeightsBench.coreutilsSHA256(url) }
            let name = url.lastPathComponent.padding(toLength: 34, withPad: " ", startingAt: 0)
            print(name + String(format: " %6.1f %12.2f %9.2f %13.2f %13.0f %15.0f",
                                size, read * 1e3, load * 1e3, load / read, size / hash, size / peer))
        }
    }

    /// The peer: coreutils `sha256sum` on the same file (process start-up included, ~1 ms).
    private static func coreutilsSHA256(_ url: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    /// Median wall time in seconds of `repeats` runs of `body`, after one warm-up run.
    private func median(_ body: () throws -> Void) throws -> Double {
        try body()
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<repeats {
            let elapsed = try clock.measure(body)
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return times.sorted()[times.count / 2]
    }
}
