import Foundation

/// Where a backbone's weights file was found, or every place it was looked for.
public struct WeightsLookup: Sendable, Equatable {
    /// The file found (the first by name when several match), or nil.
    public let file: URL?
    /// What was looked for, in order: files, or `folder/pattern` for torch hub checkpoints.
    public let searched: [String]
}

/// A weights file chosen for a backbone, with its sha256 (what feature stores record).
public struct LocatedWeights: Sendable, Equatable {
    /// The file.
    public let url: URL
    /// Its sha256, 64 lowercase hex digits.
    public let sha256: String
    /// Whether the digest is the registry's published one (checked through a marker); otherwise it
    /// was computed from the file, and loading refuses the file if it changed since.
    public let published: Bool
    /// The file's size, times, inode and device when it was hashed.
    let stamp: FileStamp?
}

extension BackboneDescriptor {
    /// The file names a torch hub checkpoint of `prefix` has: `PREFIX-HEX.pth` with at least 8 hex
    /// digits (the start of its sha256, as torch hub names downloads).
    /// - Parameters:
    ///   - name: a file name.
    ///   - prefix: the checkpoint's prefix, e.g. `resnet50`.
    /// - Returns: whether `name` is one.
    static func isTorchHubFile(_ name: String, prefix: String) -> Bool {
        guard name.hasPrefix(prefix + "-"), name.hasSuffix(".pth") else { return false }
        let hash = name.dropFirst(prefix.count + 1).dropLast(4)
        return hash.count >= 8 && hash.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}

extension BackboneRegistry {
    /// torch hub's checkpoint folder: `$TORCH_HOME/hub/checkpoints`, by default
    /// `$XDG_CACHE_HOME/torch/hub/checkpoints` or `~/.cache/torch/hub/checkpoints` (as torch decides).
    /// - Parameter environment: the process environment.
    /// - Returns: the folder (it may not exist).
    public static func torchHubCheckpoints(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        func nonEmpty(_ key: String) -> URL? {
            environment[key].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        }
        let home = nonEmpty("TORCH_HOME")
            ?? (nonEmpty("XDG_CACHE_HOME") ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache"))
                .appendingPathComponent("torch")
        return home.appendingPathComponent("hub/checkpoints")
    }

    /// Looks for a backbone's weights where it keeps them: a `scripts/setup` file in the weights
    /// folder; a torchvision checkpoint `PREFIX-HASH.pth` in torch hub's folder, then in the weights
    /// folder; a Keras file by its names in Keras' folder, then the weights folder; a Hugging Face
    /// repo's `model.safetensors` (else `pytorch_model.bin`) in the Hub's cache, then the weights folder.
    /// - Parameters:
    ///   - descriptor: the backbone.
    ///   - directory: the weights folder (default: `$SPOTCHECK_CACHE/weights`, see `WeightsDirectory`).
    ///   - environment: the process environment (`TORCH_HOME`, `XDG_CACHE_HOME`, `KERAS_HOME`, `HF_HOME`,
    ///     `HF_HUB_CACHE`, `SPOTCHECK_CACHE`).
    /// - Returns: the file found, if any, and what was looked for.
    public static func locateWeights(for descriptor: BackboneDescriptor, directory: URL? = nil,
                                     environment: [String: String] = ProcessInfo.processInfo.environment)
        -> WeightsLookup {
        let directory = directory ?? WeightsDirectory.url(environment: environment)
        switch descriptor.weights {
        case .setup(let file, _):
            let url = directory.appendingPathComponent(file)
            return WeightsLookup(file: isRegularFile(url) ? url : nil, searched: [url.path])
        case .torchHub(let prefix):
            let folders = [torchHubCheckpoints(environment: environment), directory]
            for folder in folders {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                let found = names.filter { BackboneDescriptor.isTorchHubFile($0, prefix: prefix) }.sorted()
                    .map { folder.appendingPathComponent($0) }.first(where: isRegularFile)
                if let found { return WeightsLookup(file: found, searched: folders.map { "\($0.path)/\(prefix)-*.pth" }) }
            }
            return WeightsLookup(file: nil, searched: folders.map { "\($0.path)/\(prefix)-*.pth" })
        case .keras(let files):
            let candidates = [kerasModels(environment: environment), directory].flatMap { folder in
                files.map { folder.appendingPathComponent($0) }
            }
            return WeightsLookup(file: candidates.first(where: isRegularFile), searched: candidates.map(\.path))
        case .huggingFace(let repo):
            return locateHuggingFace(repo: repo, directory: directory, environment: environment)
        }
    }

    /// Whether a backbone's weights file can be found (see ``locateWeights(for:directory:environment:)``).
    /// - Parameters:
    ///   - descriptor: the backbone.
    ///   - directory: the weights folder (default: `$SPOTCHECK_CACHE/weights`).
    /// - Returns: `true` when a file was found.
    public static func hasWeights(_ descriptor: BackboneDescriptor, directory: URL? = nil) -> Bool {
        locateWeights(for: descriptor, directory: directory).file != nil
    }

    /// Chooses a backbone's weights file and establishes its sha256: a `scripts/setup` file is
    /// checked against its published digest (hashed the first time only, see
    /// `WeightsVerification`); any other file is hashed.
    /// - Parameters:
    ///   - descriptor: the backbone.
    ///   - file: a file the user named, or nil to look where the backbone keeps its weights.
    ///   - directory: the weights folder (default: `$SPOTCHECK_CACHE/weights`).
    /// - Returns: the file and its digest.
    /// - Throws: `BackboneError.missingWeights` naming what was looked for, `.unreadableWeights`
    ///   when the file cannot be read or has another digest than the published one.
    public static func resolveWeights(for descriptor: BackboneDescriptor, file: URL? = nil,
                                      directory: URL? = nil) throws -> LocatedWeights {
        let lookup = locateWeights(for: descriptor, directory: directory)
        guard let url = file ?? lookup.file else {
            throw BackboneError.missingWeights(backbone: descriptor.name, searched: lookup.searched,
                                               fetchedBySetup: descriptor.fetchedBySetup)
        }
        guard isRegularFile(url) else {
            throw BackboneError.missingWeights(backbone: descriptor.name, searched: [url.path], fetchedBySetup: false)
        }
        do {
            if file == nil, case .setup(_, let sha256) = descriptor.weights {
                try WeightsVerification.verify(url, expected: sha256)
                return LocatedWeights(url: url, sha256: sha256, published: true, stamp: FileStamp(url))
            }
            let stamp = FileStamp(url)
            let digest = try SHA256.hexDigest(of: url)
            guard FileStamp(url) == stamp else { throw BackboneError.changedWeights(path: url.path) }
            return LocatedWeights(url: url, sha256: digest, published: false, stamp: stamp)
        } catch let error as CheckpointError {
            throw BackboneError.unreadableWeights(path: url.path, reason: error.reason.summary,
                                                  fetchedBySetup: file == nil && descriptor.fetchedBySetup)
        }
    }

    /// Reads a backbone's weights and assembles it.
    /// - Parameters:
    ///   - name: the backbone's name.
    ///   - file: a weights file the user named, or nil to look where the backbone keeps its weights.
    ///   - directory: the weights folder (default: `$SPOTCHECK_CACHE/weights`).
    ///   - threads: threads for the network's loops (default: the active processor count).
    /// - Returns: the ready network.
    /// - Throws: `BackboneError` for an unknown name, and as ``resolveWeights(for:file:directory:)``
    ///   and ``load(_:weights:threads:)`` do.
    public static func load(_ name: String, file: URL? = nil, directory: URL? = nil,
                            threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Backbone {
        let descriptor = try descriptor(named: name)
        return try load(descriptor, weights: resolveWeights(for: descriptor, file: file, directory: directory),
                        threads: threads)
    }

    /// Assembles a backbone from a weights file chosen by ``resolveWeights(for:file:directory:)``.
    /// - Parameters:
    ///   - descriptor: the backbone.
    ///   - weights: the file and its digest; a file hashed by ``resolveWeights(for:file:directory:)``
    ///     must not have changed since (size, times, inode, device).
    ///   - threads: threads for the network's loops.
    /// - Returns: the ready network.
    /// - Throws: `BackboneError.unreadableWeights` when the file cannot be read, `.changedWeights`
    ///   when it changed since it was hashed; `.missingTensor` / `.shapeMismatch` (setup files) or
    ///   `.incompatibleWeights` (other files) naming the first tensor that does not fit the architecture.
    public static func load(_ descriptor: BackboneDescriptor, weights: LocatedWeights,
                            threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Backbone {
        let url = weights.url
        let tensors: [String: WeightTensor]
        do {
            guard weights.published || FileStamp(url) == weights.stamp else {
                throw BackboneError.changedWeights(path: url.path)
            }
            if case .keras = descriptor.weights {
                tensors = try descriptor.kerasTensors(url)
            } else {
                let bytes = try Checkpoint.readBytes(url)
                tensors = try Checkpoint(bytes: bytes, name: url.path).tensors
            }
            guard weights.published || FileStamp(url) == weights.stamp else {
                throw BackboneError.changedWeights(path: url.path)
            }
        } catch let error as CheckpointError {
            throw BackboneError.unreadableWeights(path: url.path, reason: error.reason.summary,
                                                  fetchedBySetup: weights.published)
        }
        do {
            return try Backbone(descriptor: descriptor, tensors: tensors, source: url.path, threads: threads)
        } catch let error as BackboneError where !weights.published {
            throw error.asIncompatible(backbone: descriptor.name)
        }
    }

    /// Whether `url` is a file or a link to one (not a folder).
    static func isRegularFile(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && !isFolder.boolValue
    }
}
