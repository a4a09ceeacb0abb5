import ArgumentParser
import Foundation
import SpotcheckKit

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

    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1…100, got \(quality)") }
    }

    func run() throws {
        let job = RotatedDataset(source: URL(fileURLWithPath: images), output: URL(fileURLWithPath: out), seed: seed,
                                 allAngles: allAngles, quality: quality)
        let summary = try job.write(observer: TerminalObserver())
        print("\(summary.copies) images from \(summary.sources) sources → \(job.output.path)"
              + (summary.skipped.isEmpty ? "" : " (\(summary.skipped.count) unreadable files skipped)"))
    }
}
