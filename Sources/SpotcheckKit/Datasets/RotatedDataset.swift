import Extractor
import FileSafety
import Foundation
import LinearAlgebra

/// The cookbook's orientation dataset: every image under a folder written turned by a seeded
/// random multiple of 90° (or by all four) into `OUT/<angle>/`, with `OUT/sources.csv` naming the
/// source photo of every copy so that splits keep the copies together.
public struct RotatedDataset: Sendable {
    /// Hidden file marking a folder this step made; its presence allows writing into it again.
    public static let markerName = ".spotcheck-rotations"

    /// The folder of source images (searched recursively).
    public var source: URL
    /// The output folder: new, empty, or made earlier by this step.
    public var output: URL
    /// Seed of the angle choices.
    public var seed: UInt64
    /// Write all four rotations of every image instead of one random one.
    public var allAngles: Bool
    /// JPEG quality of the written images, 1…100.
    public var quality: Int

    /// A rotation job.
    /// - Parameters:
    ///   - source: the folder of source images.
    ///   - output: the output folder.
    ///   - seed: seed of the angle choices (default 42).
    ///   - allAngles: write all four rotations (default: one random one).
    ///   - quality: JPEG quality (default 95).
    public init(source: URL, output: URL, seed: UInt64 = 42, allAngles: Bool = false, quality: Int = 95) {
        self.source = source.standardizedFileURL
        self.output = output.standardizedFileURL
        self.seed = seed
        self.allAngles = allAngles
        self.quality = quality
    }

    /// What was written.
    public struct Summary: Sendable, Equatable {
        /// Images written.
        public var copies: Int
        /// Source images used.
        public var sources: Int
        /// Source files that could not be decoded.
        public var skipped: [SkippedFile]
    }

    /// Writes the rotated copies and `sources.csv`.
    /// - Parameter observer: receives progress and each unreadable file.
    /// - Returns: what was written.
    /// - Throws: `RotationsError` when there is no image or the output holds other files;
    ///   `FileSafetyError` or an encoder error when a file cannot be written.
    public func write(observer: any SpotcheckObserver = SilentObserver()) throws -> Summary {
        let files: [String]
        do { files = try ImageFiles.relativePaths(under: source) } catch { throw RotationsError.noImages(source.path) }
        guard !files.isEmpty else { throw RotationsError.noImages(source.path) }
        try checkSeparate()
        try prepare()

        var generator = SeededGenerator(seed: seed)
        var names = Set<String>()
        var rows = ["file,source,angle"]
        var skipped = [SkippedFile]()
        let decoder = ImageDecoder()
        for (done, relative) in files.enumerated() {
            observer.observe(.progress(task: "rotations", done: done, total: files.count, unit: "img"))
            let angles = allAngles ? RightAngleRotation.allCases
                : [RightAngleRotation.allCases[Int.random(in: 0..<4, using: &generator)]]
            let image: RGBImage
            do {
                image = try decoder.decode(contentsOf: source.appendingPathComponent(relative))
            } catch {
                let file = SkippedFile(path: relative, reason: error.description)
                skipped.append(file)
                observer.observe(.skipped(file))
                continue
            }
            let name = Self.uniqueName(for: relative, taken: &names)
            for angle in angles {
                let file = "\(angle.rawValue)/\(name)"
                try JPEGEncoder.write(image.rotated(by: angle), to: output.appendingPathComponent(file), quality: quality)
                rows.append([file, relative, String(angle.rawValue)].map(Self.csvField).joined(separator: ","))
            }
        }
        observer.observe(.finished(task: "rotations"))
        try AtomicFile.write(Data((rows.joined(separator: "\n") + "\n").utf8),
                             to: output.appendingPathComponent(SourceGroups.defaultName), replacing: true)
        return Summary(copies: rows.count - 1, sources: files.count - skipped.count, skipped: skipped)
    }

    /// Refuses an output folder that is, holds or lies inside the source folder: the copies would
    /// mix with the photos (and be read again as sources).
    private func checkSeparate() throws {
        let out = output.resolvingSymlinksInPath().path, images = source.resolvingSymlinksInPath().path
        if out == images || out.hasPrefix(images + "/") || images.hasPrefix(out + "/") {
            throw RotationsError.overlapsSource(output: output.path, source: source.path)
        }
    }

    /// Makes the output ready: creates it, or checks it is empty or ours and removes the images
    /// an earlier run listed in its `sources.csv` (nothing else is touched).
    private func prepare() throws {
        let manager = FileManager.default
        let marker = output.appendingPathComponent(Self.markerName)
        if manager.fileExists(atPath: output.path), !(try manager.contentsOfDirectory(atPath: output.path)).isEmpty {
            guard manager.fileExists(atPath: marker.path) else { throw RotationsError.notOurs(output.path) }
            let listing = (try? String(contentsOf: output.appendingPathComponent(SourceGroups.defaultName), encoding: .utf8)) ?? ""
            for line in listing.split(separator: "\n").dropFirst() {
                guard let file = line.split(separator: ",").first, file.hasSuffix(".jpg"), !file.contains("..") else { continue }
                try? manager.removeItem(at: output.appendingPathComponent(String(file)))
            }
        }
        for angle in RightAngleRotation.allCases {
            try manager.createDirectory(at: output.appendingPathComponent(String(angle.rawValue)),
                                        withIntermediateDirectories: true)
        }
        try AtomicFile.write(Data("made by spotcheck rotations\n".utf8), to: marker, replacing: true)
    }

    /// `a/b/photo.png` → `a_b_photo.jpg`, with `-2`, `-3`, … added when that name is taken.
    static func uniqueName(for relative: String, taken: inout Set<String>) -> String {
        let stem = (relative as NSString).deletingPathExtension.replacingOccurrences(of: "/", with: "_")
        var name = stem + ".jpg", suffix = 2
        while taken.contains(name) {
            name = "\(stem)-\(suffix).jpg"
            suffix += 1
        }
        taken.insert(name)
        return name
    }

    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// Why the orientation dataset could not be made.
public enum RotationsError: Error, Equatable, CustomStringConvertible {
    /// No image files under the source folder.
    case noImages(String)
    /// The output folder holds files this step did not make.
    case notOurs(String)
    /// The output folder is, holds or lies inside the source folder.
    case overlapsSource(output: String, source: String)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .noImages(let path): return "no .jpg, .jpeg or .png files under \(path); check the path"
        case .overlapsSource(let output, let source):
            return "\(output) overlaps the source folder \(source); choose an output folder outside it (nothing was written)"
        case .notOurs(let path):
            return "\(path) is not empty and was not made by spotcheck rotations; choose a new or empty output folder (nothing was written)"
        }
    }
}
