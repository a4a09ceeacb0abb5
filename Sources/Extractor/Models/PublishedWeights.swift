/// Where a backbone's official weights are published, for users with internet who fetch them
/// themselves: spotcheck never downloads at run time (`spotcheck models --fetch-command NAME`).
public struct PublishedWeights: Sendable, Equatable {
    /// The publisher's file name, which is also the name spotcheck looks for.
    public let file: String
    /// Where to download it.
    public let url: String
    /// The publisher's name for these weights (e.g. torchvision's `IMAGENET1K_V2`).
    public let release: String
    /// Whether the publisher's own code picks these when asked for its default weights.
    public let isDefault: Bool
    /// What identifies the right bytes: the full sha256, or the leading hex digits of it that the
    /// publisher's downloader checks (torch hub: the digits in the file name).
    public let sha256Prefix: String
}

extension BackboneDescriptor {
    /// The official weights of this backbone, the publisher's default first; empty for a backbone
    /// whose weights `scripts/setup` fetches (see ``WeightsSource/setup(file:sha256:)``).
    public var published: [PublishedWeights] {
        guard case .torchHub = weights else { return [] }
        return (TorchvisionReleases.files[name] ?? []).map { file, release, isDefault in
            let hash = file.split(separator: "-").last.map { String($0.dropLast(4)) } ?? ""
            return PublishedWeights(file: file, url: TorchvisionReleases.base + file, release: release,
                                    isDefault: isDefault, sha256Prefix: hash)
        }.sorted { $0.isDefault && !$1.isDefault }
    }

    /// Shell commands that fetch this backbone's official weights to where spotcheck looks for
    /// them: downloaded under a temporary name, moved into place only when the digest checks out;
    /// the default release runs, the alternatives are commented out.
    public var fetchCommands: [String] {
        switch weights {
        case .setup(let file, let sha256):
            return ["# \(name): scripts/setup fetches \(file) (sha256 \(sha256)) into the weights folder",
                    "scripts/setup"]
        case .torchHub:
            var lines = ["# \(name): torchvision's published ImageNet weights. torch hub checks a download by the",
                         "# leading hex digits of its sha256, which are in the file name; so does this.",
                         "dir=\"${TORCH_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/torch}/hub/checkpoints\"",
                         "mkdir -p \"$dir\""]
            for (index, weights) in published.enumerated() {
                let (partial, target) = ("\"$dir/\(weights.file).partial\"", "\"$dir/\(weights.file)\"")
                lines.append("# \(weights.release)" + (weights.isDefault ? " (torchvision's default)" : " (alternative)"))
                lines.append((index == 0 ? "" : "# ") + "curl -fL -o \(partial) \(weights.url) && "
                             + "sha256sum \(partial) | grep -q '^\(weights.sha256Prefix)' && mv \(partial) \(target) || "
                             + "{ rm -f \(partial); echo 'download failed or wrong sha256: nothing installed' >&2; }")
            }
            return lines
        }
    }
}

/// The files torchvision 0.28 publishes for the backbones spotcheck builds (its `*_Weights`
/// enums): file name, release, and whether `weights="DEFAULT"` picks it.
enum TorchvisionReleases {
    /// Where torchvision's files are published.
    static let base = "https://download.pytorch.org/models/"

    /// Backbone name → its published files.
    static let files: [String: [(file: String, release: String, isDefault: Bool)]] = [
        "resnet18": [("resnet18-f37072fd.pth", "IMAGENET1K_V1", true)],
        "resnet34": [("resnet34-b627a593.pth", "IMAGENET1K_V1", true)],
        "resnet50": [("resnet50-0676ba61.pth", "IMAGENET1K_V1", false), ("resnet50-11ad3fa6.pth", "IMAGENET1K_V2", true)],
        "resnet101": [("resnet101-63fe2227.pth", "IMAGENET1K_V1", false), ("resnet101-cd907fc2.pth", "IMAGENET1K_V2", true)],
        "resnet152": [("resnet152-394f9c45.pth", "IMAGENET1K_V1", false), ("resnet152-f82ba261.pth", "IMAGENET1K_V2", true)],
        "wide_resnet50_2": [("wide_resnet50_2-95faca4d.pth", "IMAGENET1K_V1", false),
                            ("wide_resnet50_2-9ba9bcbe.pth", "IMAGENET1K_V2", true)],
    ]
}
