/// Where a backbone's official weights are published, for users with internet who fetch them
/// themselves: spotcheck never downloads at run time (`spotcheck models --fetch-command NAME`).
public struct PublishedWeights: Sendable, Equatable {
    /// How the publisher's own downloader checks a file.
    public enum Digest: Sendable, Equatable {
        /// The leading hex digits of its sha256 (torch hub: the digits in the file name).
        case sha256Prefix(String)
        /// Its whole md5 (`keras.utils.get_file`'s `file_hash` of the applications).
        case md5(String)
        /// None: the publisher's downloader checks nothing (Keras' MobileNet files).
        case unpublished
        /// The sha256 the Hugging Face Hub keeps for the file in repo `repo` (its LFS object id, listed
        /// on the file's page), which the Hub's own client checks on download; spotcheck has no copy.
        case huggingFaceHub(repo: String)
    }

    /// The publisher's file name, which is also the name spotcheck looks for.
    public let file: String
    /// Where to download it.
    public let url: String
    /// What these weights are (e.g. torchvision's `IMAGENET1K_V2`, Keras' `notop`).
    public let release: String
    /// Whether the printed commands fetch this one (the others are shown as alternatives).
    public let isRecommended: Bool
    /// What identifies the right bytes.
    public let digest: Digest
}

extension BackboneDescriptor {
    /// The official weights of this backbone, the recommended file first; empty for a backbone
    /// whose weights `scripts/setup` fetches (see ``WeightsSource/setup(file:sha256:)``).
    public var published: [PublishedWeights] {
        switch weights {
        case .setup: return []
        case .torchHub: return (PublishedReleases.torchvision[name] ?? []).sorted { $0.isRecommended && !$1.isRecommended }
        case .keras:
            return (PublishedReleases.keras[name] ?? PublishedReleases.moreKeras[name] ?? [])
                .sorted { $0.isRecommended && !$1.isRecommended }
        case .huggingFace(let repo): return [PublishedReleases.huggingFace(repo)]
        }
    }

    /// Shell commands that fetch this backbone's official weights to where spotcheck looks for
    /// them: downloaded under a temporary name, moved into place only when the digest checks out;
    /// the recommended file is fetched, the alternatives are commented out.
    public var fetchCommands: [String] {
        let folder: String?
        var lines: [String]
        switch weights {
        case .setup(let file, let sha256):
            return ["# \(name): scripts/setup fetches \(file) (sha256 \(sha256)) into the weights folder",
                    "scripts/setup"]
        case .torchHub:
            folder = "${TORCH_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/torch}/hub/checkpoints"
            lines = ["# \(name): torchvision's published ImageNet weights. torch hub checks a download by the",
                     "# leading hex digits of its sha256, which are in the file name; so does this."]
        case .keras:
            folder = "${KERAS_HOME:-$HOME/.keras}/models"
            lines = ["# \(name): the keras.applications ImageNet weights, checked by their md5 as Keras checks them.",
                     "# notop (no classifier) gives the same features from a much smaller file; the full file adds",
                     "# the ImageNet classifier (logits, spotcheck classify)."]
        case .huggingFace(let repo):
            folder = nil
            lines = ["# \(name): timm's ImageNet weights on the Hugging Face Hub (\(repo)). spotcheck has no copy of",
                     "# their sha256 (the Hub lists it on the file's page); `hf download` (huggingface_hub; before 0.34",
                     "# `huggingface-cli download`) checks it and puts the file into the Hub's cache",
                     "# (${HF_HUB_CACHE:-${HF_HOME:-$HOME/.cache/huggingface}/hub}), where spotcheck looks. The file:",
                     "# \(PublishedReleases.huggingFace(repo).url)"]
        }
        if let folder { lines += ["dir=\"\(folder)\"", "mkdir -p \"$dir\""] }
        for (index, weights) in published.enumerated() {
            let (partial, target) = ("\"$dir/\(weights.file).partial\"", "\"$dir/\(weights.file)\"")
            func download(checkedBy check: String) -> String {
                "curl -fL -o \(partial) \(weights.url) && \(check) && mv \(partial) \(target) || "
                    + "{ rm -f \(partial); echo 'download failed or wrong digest: nothing installed' >&2; }"
            }
            let command: String
            switch weights.digest {
            case .sha256Prefix(let prefix): command = download(checkedBy: "sha256sum \(partial) | grep -q '^\(prefix)'")
            case .md5(let md5): command = download(checkedBy: "md5sum \(partial) | grep -q '^\(md5) '")
            case .huggingFaceHub(let repo): command = "hf download \(repo) \(weights.file)"
            case .unpublished:
                lines.append("# no digest is published for \(weights.file): spotcheck records the sha256 of what you fetch")
                command = download(checkedBy: "test -s \(partial)")
            }
            lines.append("# \(weights.release)" + (weights.isRecommended ? "" : " (alternative)"))
            lines.append((index == 0 ? "" : "# ") + command)
        }
        return lines
    }
}

/// The official files of the backbones spotcheck builds, as the frameworks' own code names them:
/// torchvision 0.28's `*_Weights` enums, Keras 3.15's `keras.applications` downloads.
enum PublishedReleases {
    /// torchvision backbone name → its files (`weights="DEFAULT"` recommended).
    static let torchvision: [String: [PublishedWeights]] = [
        "resnet18": [("resnet18-f37072fd.pth", "IMAGENET1K_V1", true)],
        "resnet34": [("resnet34-b627a593.pth", "IMAGENET1K_V1", true)],
        "resnet50": [("resnet50-0676ba61.pth", "IMAGENET1K_V1", false), ("resnet50-11ad3fa6.pth", "IMAGENET1K_V2", true)],
        "resnet101": [("resnet101-63fe2227.pth", "IMAGENET1K_V1", false), ("resnet101-cd907fc2.pth", "IMAGENET1K_V2", true)],
        "resnet152": [("resnet152-394f9c45.pth", "IMAGENET1K_V1", false), ("resnet152-f82ba261.pth", "IMAGENET1K_V2", true)],
        "wide_resnet50_2": [("wide_resnet50_2-95faca4d.pth", "IMAGENET1K_V1", false),
                            ("wide_resnet50_2-9ba9bcbe.pth", "IMAGENET1K_V2", true)],
        "vgg11": [("vgg11-8a719046.pth", "IMAGENET1K_V1", true)],
        "vgg11_bn": [("vgg11_bn-6002323d.pth", "IMAGENET1K_V1", true)],
        "vgg13": [("vgg13-19584684.pth", "IMAGENET1K_V1", true)],
        "vgg13_bn": [("vgg13_bn-abd245e5.pth", "IMAGENET1K_V1", true)],
        "vgg16": [("vgg16-397923af.pth", "IMAGENET1K_V1", true)],
        "vgg16_bn": [("vgg16_bn-6c64b313.pth", "IMAGENET1K_V1", true)],
        "vgg19": [("vgg19-dcbb9e9d.pth", "IMAGENET1K_V1", true)],
        "vgg19_bn": [("vgg19_bn-c79401a0.pth", "IMAGENET1K_V1", true)],
        "densenet121": [("densenet121-a639ec97.pth", "IMAGENET1K_V1", true)],
        "densenet161": [("densenet161-8d451a50.pth", "IMAGENET1K_V1", true)],
        "densenet169": [("densenet169-b2777c0a.pth", "IMAGENET1K_V1", true)],
        "densenet201": [("densenet201-c1103571.pth", "IMAGENET1K_V1", true)],
        "efficientnet_b0": [("efficientnet_b0_rwightman-7f5810bc.pth", "IMAGENET1K_V1", true)],
        "efficientnet_b1": [("efficientnet_b1-c27df63c.pth", "IMAGENET1K_V2", true)],
        "efficientnet_b2": [("efficientnet_b2_rwightman-c35c1473.pth", "IMAGENET1K_V1", true)],
        "efficientnet_b3": [("efficientnet_b3_rwightman-b3899882.pth", "IMAGENET1K_V1", true)],
        "efficientnet_b4": [("efficientnet_b4_rwightman-23ab8bcd.pth", "IMAGENET1K_V1", true)],
        "efficientnet_b5": [("efficientnet_b5_lukemelas-1a07897c.pth", "IMAGENET1K_V1", true)],
        "efficientnet_b6": [("efficientnet_b6_lukemelas-24a108a5.pth", "IMAGENET1K_V1", true)],
        "efficientnet_b7": [("efficientnet_b7_lukemelas-c5b4e57e.pth", "IMAGENET1K_V1", true)],
        "efficientnet_v2_s": [("efficientnet_v2_s-dd5fe13b.pth", "IMAGENET1K_V1", true)],
        "mobilenet_v3_large": [("mobilenet_v3_large-8738ca79.pth", "IMAGENET1K_V1", false),
                               ("mobilenet_v3_large-5c1a4163.pth", "IMAGENET1K_V2", true)],
        "mobilenet_v3_small": [("mobilenet_v3_small-047dcff4.pth", "IMAGENET1K_V1", true)],
        "convnext_tiny": [("convnext_tiny-983f1562.pth", "IMAGENET1K_V1", true)],
        "convnext_small": [("convnext_small-0c510722.pth", "IMAGENET1K_V1", true)],
        "convnext_base": [("convnext_base-6075fbad.pth", "IMAGENET1K_V1", true)],
        "regnet_y_400mf": [("regnet_y_400mf-c65dace8.pth", "IMAGENET1K_V1", false),
                           ("regnet_y_400mf-e6988f5f.pth", "IMAGENET1K_V2", true)],
        "regnet_y_800mf": [("regnet_y_800mf-1b27b58c.pth", "IMAGENET1K_V1", false),
                           ("regnet_y_800mf-58fc7688.pth", "IMAGENET1K_V2", true)],
        "regnet_y_1_6gf": [("regnet_y_1_6gf-b11a554e.pth", "IMAGENET1K_V1", false),
                           ("regnet_y_1_6gf-0d7bc02a.pth", "IMAGENET1K_V2", true)],
        "regnet_y_3_2gf": [("regnet_y_3_2gf-b5a9779c.pth", "IMAGENET1K_V1", false),
                           ("regnet_y_3_2gf-9180c971.pth", "IMAGENET1K_V2", true)],
        "regnet_y_8gf": [("regnet_y_8gf-d0d0e4a8.pth", "IMAGENET1K_V1", false),
                         ("regnet_y_8gf-dc2b1b54.pth", "IMAGENET1K_V2", true)],
        "regnet_y_16gf": [("regnet_y_16gf-9e6ed7dd.pth", "IMAGENET1K_V1", false),
                          ("regnet_y_16gf-3e4a00f9.pth", "IMAGENET1K_V2", true)],
        "regnet_y_32gf": [("regnet_y_32gf-4dee3f7a.pth", "IMAGENET1K_V1", false),
                          ("regnet_y_32gf-8db6d4b5.pth", "IMAGENET1K_V2", true)],
    ].mapValues { files in
        files.map { file, release, recommended in
            let hash = file.split(separator: "-").last.map { String($0.dropLast(4)) } ?? ""
            return PublishedWeights(file: file, url: "https://download.pytorch.org/models/" + file, release: release,
                                    isRecommended: recommended, digest: .sha256Prefix(hash))
        }
    }

    /// Keras backbone name → (download folder, file stem, md5 of the full file, md5 of notop).
    static let keras: [String: [PublishedWeights]] = [
        "keras_vgg16": ("vgg16", "vgg16", "64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc"),
        "keras_vgg19": ("vgg19", "vgg19", "cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6"),
        "keras_resnet50": ("resnet", "resnet50", "2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
        "keras_resnet50v2": ("resnet", "resnet50v2", "3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
        "keras_resnet101": ("resnet", "resnet101", "f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
        "keras_resnet152": ("resnet", "resnet152", "100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
        "keras_resnet101v2": ("resnet", "resnet101v2", "6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
        "keras_resnet152v2": ("resnet", "resnet152v2", "a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
        "keras_xception": ("xception", "xception", "0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97"),
        "keras_inception_v3": ("inception_v3", "inception_v3", "9a0d58056eeedaa3f26cb7ebd46da564",
                               "bcbd6486424b2319ff4ef7d526e38f63"),
        "keras_inception_resnet_v2": ("inception_resnet_v2", "inception_resnet_v2", "e693bd0210a403b3192acc6073ad2e96",
                                      "d19885ff4a710c122648d3b5c3b684e4"),
    ].mapValues { folder, stem, full, notop in
        let base = "https://storage.googleapis.com/tensorflow/keras-applications/\(folder)/"
        return [("notop", "_notop", notop, true), ("full (with the classifier)", "", full, false)].map { release, suffix, md5, recommended in
            let file = "\(stem)_weights_tf_dim_ordering_tf_kernels\(suffix).h5"
            return PublishedWeights(file: file, url: base + file, release: release, isRecommended: recommended,
                                    digest: .md5(md5))
        }
    }

    /// The `model.safetensors` of a Hugging Face Hub repo (timm's weights), fetched by the Hub's client.
    /// - Parameter repo: `OWNER/NAME`, e.g. `timm/resnet50.a1_in1k`.
    /// - Returns: its entry.
    static func huggingFace(_ repo: String) -> PublishedWeights {
        PublishedWeights(file: "model.safetensors", url: "https://huggingface.co/\(repo)/resolve/main/model.safetensors",
                         release: "\(repo) (main)", isRecommended: true, digest: .huggingFaceHub(repo: repo))
    }
}
