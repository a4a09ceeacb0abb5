import ArgumentParser
import Foundation

/// `--batch` and `--threads`, shared by every command that runs a network.
struct ComputeOptionGroup: ParsableArguments {
    /// The largest batch: 512 images of the biggest input (260²) are 415 MB of tensors already.
    static let maxBatch = 512
    /// More threads than this only contend.
    static let maxThreads = 256

    @Option(help: "Images per network batch (1…\(ComputeOptionGroup.maxBatch)); fewer when the dataset is smaller.")
    var batch: Int = 16

    @Option(help: "Threads for decoding and the network (1…\(ComputeOptionGroup.maxThreads)).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard (1...Self.maxBatch).contains(batch) else {
            throw ValidationError("--batch must be between 1 and \(Self.maxBatch), got \(batch)")
        }
        guard (1...Self.maxThreads).contains(threads) else {
            throw ValidationError("--threads must be between 1 and \(Self.maxThreads), got \(threads)")
        }
    }
}
