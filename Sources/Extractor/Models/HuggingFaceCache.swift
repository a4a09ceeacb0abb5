import Foundation

extension BackboneRegistry {
    /// The Hugging Face Hub's cache folder, as huggingface_hub decides it: `$HF_HUB_CACHE`, else
    /// `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`.
    /// - Parameter environment: the process environment.
    /// - Returns: the folder (it may not exist).
    public static func huggingFaceHub(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        func nonEmpty(_ key: String) -> URL? {
            environment[key].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        }
        if let hub = nonEmpty("HF_HUB_CACHE") { return hub }
        let home = nonEmpty("HF_HOME")
            ?? (nonEmpty("XDG_CACHE_HOME") ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache"))
                .appendingPathComponent("huggingface")
        return home.appendingPathComponent("hub")
    }

    /// The name a Hub repo's `model.safetensors` has in the weights folder: `OWNER--NAME.safetensors`
    /// (the Hub cache's own spelling of the repo).
    /// - Parameter repo: `OWNER/NAME`.
    /// - Returns: the file name.
    static func huggingFaceWeightsFileName(repo: String) -> String {
        repo.replacingOccurrences(of: "/", with: "--") + ".safetensors"
    }

    /// The files of a Hub repo that hold timm's weights, in order of preference: `model.safetensors`,
    /// then `pytorch_model.bin` (a torch zip state dict, all that older timm repos have).
    static let huggingFaceWeightsFiles = ["model.safetensors", "pytorch_model.bin"]

    /// Looks for a Hub repo's weights: in the Hub cache (`models--OWNER--NAME/snapshots/REV/`, the
    /// revision `refs/main` names first, then the other snapshots in name order; in each,
    /// `model.safetensors`, else `pytorch_model.bin`), then as `OWNER--NAME.safetensors` in the weights
    /// folder. The cache's snapshot entries are links to its blobs; they are followed.
    /// - Parameters:
    ///   - repo: `OWNER/NAME`, e.g. `timm/resnet50.a1_in1k`.
    ///   - directory: the weights folder.
    ///   - environment: the process environment (`HF_HUB_CACHE`, `HF_HOME`, `XDG_CACHE_HOME`).
    /// - Returns: the file found, if any, and what was looked for.
    static func locateHuggingFace(repo: String, directory: URL, environment: [String: String]) -> WeightsLookup {
        let model = huggingFaceHub(environment: environment)
            .appendingPathComponent("models--" + repo.replacingOccurrences(of: "/", with: "--"))
        let snapshots = model.appendingPathComponent("snapshots")
        let inFolder = directory.appendingPathComponent(huggingFaceWeightsFileName(repo: repo))
        let searched = huggingFaceWeightsFiles.map { snapshots.path + "/*/" + $0 } + [inFolder.path]
        var revisions = ((try? FileManager.default.contentsOfDirectory(atPath: snapshots.path)) ?? []).sorted()
        if let main = mainRevision(model), let index = revisions.firstIndex(of: main) {
            revisions.insert(revisions.remove(at: index), at: 0)
        }
        let candidates = revisions.flatMap { revision in
            huggingFaceWeightsFiles.map { snapshots.appendingPathComponent(revision).appendingPathComponent($0) }
        } + [inFolder]
        return WeightsLookup(file: candidates.first(where: isRegularFile), searched: searched)
    }

    /// The revision `refs/main` of a cached repo names: a single path component of at most 64
    /// characters (a commit hash), or nil when the file is missing, larger or names anything else.
    private static func mainRevision(_ model: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: model.appendingPathComponent("refs/main")) else { return nil }
        defer { try? handle.close() }
        guard let bytes = try? handle.read(upToCount: 65), bytes.count <= 64,
              let text = String(data: bytes, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !text.isEmpty, text != ".", text != "..", !text.contains("/") else { return nil }
        return text
    }
}
