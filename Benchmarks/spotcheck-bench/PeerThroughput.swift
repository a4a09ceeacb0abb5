import Foundation

/// ONNX Runtime's images/s on the same backbone and weights, measured by the reference
/// toolkit's `peer_throughput.py` (ORT configured as its experts would: intra-op threads =
/// ours, ORT_ENABLE_ALL, TF-SAME pads folded into the convolutions) in a child process, so that
/// its rounds can be interleaved with ours.
struct PeerThroughput {
    /// One measurement of the peer.
    struct Rates {
        /// Forward-only images/s on pre-decoded batches, at the median call.
        let forward: Double
        /// Images/s from files (Pillow decode + preprocess, then the forward), or nil when not asked.
        let endToEnd: Double?
    }

    /// The Python interpreter of the reference venv.
    let python: URL
    /// `peer_throughput.py`.
    let script: URL

    /// The peer when both the reference venv and the script are present.
    /// - Parameter script: the script's path; nil looks in `$SPOTCHECK_PEER_TOOLS` and then in
    ///   `../shared/tools` from the working directory.
    /// - Returns: the peer, or nil (with the reason) when it cannot run here.
    static func locate(script: String?) -> (peer: PeerThroughput?, reason: String) {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["SPOTCHECK_REF_CACHE"] ?? NSHomeDirectory() + "/.cache/spotcheck-reference"
        let python = URL(fileURLWithPath: environment["SPOTCHECK_REF_VENV"] ?? cache + "/venv")
            .appendingPathComponent("bin/python")
        let candidates = script.map { [$0] }
            ?? [environment["SPOTCHECK_PEER_TOOLS"].map { $0 + "/peer_throughput.py" }, "../shared/tools/peer_throughput.py"]
            .compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            return (nil, "no peer_throughput.py at \(candidates.joined(separator: " or "))")
        }
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            return (nil, "no reference venv at \(python.path) (see the toolkit's ref_setup.sh)")
        }
        return (PeerThroughput(python: python, script: URL(fileURLWithPath: found)), "")
    }

    /// Runs the peer once for one backbone.
    /// - Parameters:
    ///   - backbone: the backbone's name.
    ///   - images: a folder of images (decoded for the forward input, and for end to end).
    ///   - batch: images per call.
    ///   - threads: ORT's intra-op threads.
    ///   - seconds: steady-state seconds per measurement.
    ///   - endToEnd: also measure from files.
    /// - Returns: the rates.
    /// - Throws: when the script fails or writes no result.
    func measure(_ backbone: String, images: String, batch: Int, threads: Int, seconds: Double,
                 endToEnd: Bool) throws -> Rates {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-peer-\(getpid()).json")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-peer-\(getpid()).log")
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: log)
        }
        guard FileManager.default.createFile(atPath: log.path, contents: nil),
              let messages = FileHandle(forWritingAtPath: log.path) else {
            throw PeerError(message: "cannot create \(log.path)")
        }
        defer { try? messages.close() }
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, "--images", images, "--backbones", backbone, "--runtimes", "ort",
                             "--batches", "\(batch)", "--threads", "\(threads)", "--seconds", "\(seconds)",
                             "--out", output.path] + (endToEnd ? [] : ["--no-e2e"])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = messages
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw PeerError(message: "\(script.lastPathComponent) exited with status \(process.terminationStatus): "
                                + text.split(separator: "\n").suffix(5).joined(separator: "\n"))
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: output))
        let entry = ((json as? [String: Any])?["backbones"] as? [String: Any])?[backbone] as? [String: Any]
        func rate(_ section: String, _ key: String) -> Double? {
            ((entry?[section] as? [String: Any])?["ort_b\(batch)"] as? [String: Any])?[key] as? Double
        }
        // Forward: the rate at the median call, the statistic ours reports (median batch);
        // end to end: images over the whole window, as ours times its whole pass.
        guard let forward = rate("forward", "images_per_s_at_median_call") else {
            throw PeerError(message: "\(script.lastPathComponent) wrote no ort_b\(batch) forward rate")
        }
        return Rates(forward: forward, endToEnd: endToEnd ? rate("end_to_end", "images_per_s") : nil)
    }
}

/// The peer could not be measured.
struct PeerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
