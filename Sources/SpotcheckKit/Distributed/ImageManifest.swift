import Extractor
import FileSafety
import Foundation

/// The images of a planned run, fixed once: `manifest.tsv`, one line per image — its path
/// relative to the dataset root, its class, its size in bytes and the SHA-256 of its content —
/// in the order the feature stores hold their rows (the seeded shuffle of the dataset's
/// byte-wise order that `spotcheck run` writes its stores in). Shard `i` of `n` is a contiguous
/// block of these lines, and the fingerprint is the SHA-256 of the file, so machines holding
/// their own copy of the images (with other modification times) agree on both.
public struct ImageManifest: Sendable, Equatable {
    /// One image.
    public struct Entry: Sendable, Equatable {
        /// The path relative to the dataset root, e.g. `birds/robin.png`.
        public var path: String
        /// Its label: an index into the plan's classes.
        public var label: Int
        /// Its size in bytes.
        public var size: Int
        /// The lowercase hex SHA-256 of its content.
        public var sha256: String
    }

    /// The file's first line.
    public static let header = "path\tlabel\tsize\tsha256"

    /// The images, in store order.
    public var entries: [Entry]

    /// A manifest of `entries`.
    /// - Parameter entries: the images, in store order.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Lists and hashes a discovered dataset's images.
    /// - Parameters:
    ///   - dataset: the dataset.
    ///   - order: positions in `dataset.samples`, in the order the stores hold them.
    ///   - threads: files hashed at once.
    /// - Returns: the manifest.
    /// - Throws: `ShardedRunError.unplannableName` for a path with a tab or line break,
    ///   `.imageChanged` for an image that cannot be read.
    public static func make(_ dataset: Dataset, order: [Int], threads: Int) throws -> ImageManifest {
        let samples = order.map { dataset.samples[$0] }
        let paths = samples.map { dataset.relativePath(of: $0.url) }
        for path in paths where path.contains(where: { $0 == "\t" || $0.isNewline }) {
            throw ShardedRunError.unplannableName(path: path, reason: "it contains a tab or a line break")
        }
        let results = try concurrentMap(samples.count, threads: threads) { try Self.digest(of: samples[$0].url) }
        return ImageManifest(entries: samples.indices.map {
            Entry(path: paths[$0], label: samples[$0].label, size: results[$0].size, sha256: results[$0].sha256)
        })
    }

    /// The size and SHA-256 of an image file.
    /// - Throws: `ShardedRunError.imageChanged` when it is missing, not a regular file or unreadable.
    static func digest(of url: URL) throws -> (size: Int, sha256: String) {
        let kind = FileKind(path: url.path)
        guard kind == .regular else { throw ShardedRunError.imageChanged(path: url.path, reason: "is \(kind)") }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size, let sha = try? SHA256.hexDigest(of: url) else {
            throw ShardedRunError.imageChanged(path: url.path, reason: "cannot be read")
        }
        return (size, sha)
    }

    /// The manifest as `manifest.tsv` holds it (class names written out).
    /// - Parameter classes: class names, by label.
    /// - Returns: the file's text.
    public func text(classes: [String]) -> String {
        ([Self.header] + entries.map { "\($0.path)\t\(classes[$0.label])\t\($0.size)\t\($0.sha256)" })
            .joined(separator: "\n") + "\n"
    }

    /// The fingerprint of the images: the SHA-256 of the manifest's text.
    /// - Parameter classes: class names, by label.
    /// - Returns: 64 hex digits.
    public func fingerprint(classes: [String]) -> String {
        SHA256.hexDigest(Array(text(classes: classes).utf8))
    }

    /// Reads a manifest, checking every line.
    /// - Parameters:
    ///   - text: the file's text.
    ///   - classes: the plan's classes.
    ///   - file: the file, for messages.
    /// - Throws: `ShardedRunError.planUnreadable` naming the first bad line.
    public init(parsing text: String, classes: [String], file: String) throws {
        let labelOf = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.first.map(String.init) == Self.header else {
            throw ShardedRunError.planUnreadable(path: file, reason: "the first line is not '\(Self.header)'")
        }
        entries = try lines.dropFirst().enumerated().map { number, line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            func bad(_ reason: String) -> ShardedRunError { .planUnreadable(path: file, reason: "line \(number + 2) \(reason)") }
            guard fields.count == 4 else { throw bad("has \(fields.count) fields, not 4") }
            let components = fields[0].split(separator: "/", omittingEmptySubsequences: false)
            guard !fields[0].hasPrefix("/"), !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                throw bad("has the path '\(fields[0])', which is not a plain path inside the dataset")
            }
            guard let label = labelOf[fields[1]] else { throw bad("names the class '\(fields[1])', which the plan does not have") }
            guard let size = Int(fields[2]), size >= 0 else { throw bad("has the size '\(fields[2])'") }
            guard fields[3].count == 64, fields[3].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw bad("has the digest '\(fields[3])', not 64 lowercase hex digits")
            }
            return Entry(path: fields[0], label: label, size: size, sha256: fields[3])
        }
    }

    /// The rows of shard `index` of `count`: `[n·index/count, n·(index+1)/count)` for `n` images,
    /// so shard sizes differ by at most one.
    /// - Parameters:
    ///   - index: the shard, from 0.
    ///   - count: the number of shards.
    /// - Returns: the range of entries.
    public func rows(ofShard index: Int, count: Int) -> Range<Int> {
        let n = entries.count
        return n * index / count ..< n * (index + 1) / count
    }
}
