import ArgumentParser
import Extractor
import Foundation
import LinearAlgebra

/// `spotcheck rotations`: the cookbook's orientation dataset. Every image under a folder is
/// written turned by a seeded random multiple of 90° (or by all four with `--all-angles`) into
/// `OUT/<angle>/`, so `spotcheck run --images OUT` learns to tell the rotation.
struct RotationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotations",
        abstract: "Make a four-class orientation dataset (0, 90, 180, 270° counter-clockwise) from a folder of images.",
        discussion: """
            Every .jpg, .jpeg and .png under --images (recursively, sorted, hidden entries skipped; \
            labels are not needed) is decoded, rotated counter-clockwise as Pillow's rotate(angle, expand=True), \
            and written as a quality-95 JPEG (files that cannot be decoded are reported and skipped) to OUT/<angle>/<relative path with / as _>.jpg. \
            OUT/sources.csv (file,source,angle) records the source of every copy, so splits can keep \
            the copies of one photo together. OUT must be new, empty, or made by this command.
            """
    )

    @Option(help: "The folder of images (searched recursively).")
    var images: String

    @Option(help: "The output folder: new, empty, or made earlier by this command.")
    var out: String

    @Option(help: "Seed of the angle choices.")
    var seed: UInt64 = 42

    @Flag(help: "Write all four rotations of every image instead of one random one.")
    var allAngles = false

    @Option(help: "JPEG quality of the written images, 1…100.")
    var quality = 95

    /// Hidden file marking a folder this command made; its presence allows writing into it again.
    static let markerName = ".spotcheck-rotations"
    /// The list of copies, `file,source,angle`.
    static let sourcesName = "sources.csv"

    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1…100, got \(quality)") }
    }

    func run() throws {
        let source = URL(fileURLWithPath: images).standardizedFileURL
        let output = URL(fileURLWithPath: out).standardizedFileURL
        let files = try ImageFiles.relativePaths(under: source)
        guard !files.isEmpty else { throw RotationsError.noImages(source.path) }
        try Self.prepare(output)

        var generator = SeededGenerator(seed: seed)
        var names = Set<String>()
        var rows = ["file,source,angle"]
        var skipped = 0
        let decoder = ImageDecoder()
        let progress = ProgressReporter("rotations", total: files.count, unit: "img")
        for relative in files {
            let angles = allAngles ? RightAngleRotation.allCases
                : [RightAngleRotation.allCases[Int.random(in: 0..<4, using: &generator)]]
            let image: RGBImage
            do {
                image = try decoder.decode(contentsOf: source.appendingPathComponent(relative))
            } catch {
                Terminal.note("skipped \(relative): \(error)")
                skipped += 1
                progress.advance()
                continue
            }
            let name = Self.uniqueName(for: relative, taken: &names)
            for angle in angles {
                let file = "\(angle.rawValue)/\(name)"
                try JPEGEncoder.write(image.rotated(by: angle), to: output.appendingPathComponent(file), quality: quality)
                rows.append([file, relative, String(angle.rawValue)].map(Self.csvField).joined(separator: ","))
            }
            progress.advance()
        }
        progress.finish()
        try Data((rows.joined(separator: "\n") + "\n").utf8)
            .write(to: output.appendingPathComponent(Self.sourcesName), options: .atomic)
        print("\(rows.count - 1) images from \(files.count - skipped) sources → \(output.path)"
              + (skipped > 0 ? " (\(skipped) unreadable files skipped)" : ""))
    }

    /// Makes `output` ready: creates it, or checks it is empty or ours and removes the images
    /// an earlier run listed in its `sources.csv` (nothing else is touched).
    static func prepare(_ output: URL) throws {
        let manager = FileManager.default
        let marker = output.appendingPathComponent(markerName)
        if manager.fileExists(atPath: output.path) {
            let entries = try manager.contentsOfDirectory(atPath: output.path)
            if !entries.isEmpty {
                guard manager.fileExists(atPath: marker.path) else { throw RotationsError.notOurs(output.path) }
                let listing = (try? String(contentsOf: output.appendingPathComponent(sourcesName), encoding: .utf8)) ?? ""
                for line in listing.split(separator: "\n").dropFirst() {
                    guard let file = line.split(separator: ",").first, file.hasSuffix(".jpg"), !file.contains("..") else { continue }
                    try? manager.removeItem(at: output.appendingPathComponent(String(file)))
                }
            }
        }
        for angle in RightAngleRotation.allCases {
            try manager.createDirectory(at: output.appendingPathComponent(String(angle.rawValue)),
                                        withIntermediateDirectories: true)
        }
        try Data("made by spotcheck rotations\n".utf8).write(to: marker, options: .atomic)
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

/// Why `spotcheck rotations` stopped.
enum RotationsError: Error, CustomStringConvertible {
    /// No image files under `--images`.
    case noImages(String)
    /// `--out` holds files this command did not make.
    case notOurs(String)

    var description: String {
        switch self {
        case .noImages(let path): return "no .jpg, .jpeg or .png files under \(path); check the path"
        case .notOurs(let path):
            return "\(path) is not empty and was not made by spotcheck rotations; choose a new or empty --out folder (nothing was written)"
        }
    }
}
