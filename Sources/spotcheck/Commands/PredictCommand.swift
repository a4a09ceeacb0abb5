import ArgumentParser
import Foundation
import SpotcheckKit

/// `spotcheck predict`: labels new images with a saved model (backbone + classifier + scaler).
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Label images with a model saved by `spotcheck run` or `spotcheck train --save`.",
        discussion: """
            Prints one record per image: its path, the predicted class and, where the classifier \
            estimates it, its probability — as TSV (special characters escaped as \\t, \\n, \\r, \\\\), \
            CSV (quoted) or JSON. Unreadable images are reported on stderr; the command fails when \
            none could be labelled.
            """)

    @Option(name: .long, help: "The model file (e.g. reports/best_model.json).")
    var model: String

    @Argument(help: "Image files or folders (searched recursively).")
    var inputs: [String]

    @Option(name: .long, help: "Output format: tsv, csv or json.")
    var format: PredictionFormat = .tsv

    @OptionGroup var compute: ComputeOptionGroup

    func run() throws {
        let files = try ImageFiles.collect(inputs)
        let imageModel = try ImageModel(contentsOf: URL(fileURLWithPath: model), threads: compute.threads)
        var labelled = 0, failed = 0
        if let opening = format.opening { print(opening) }
        try imageModel.predict(files, batchSize: min(compute.batch, files.count), threads: compute.threads, each: { prediction in
            print(format.record(prediction, first: labelled == 0))
            labelled += 1
        }, failed: { file in
            Terminal.note("skipped \(file.path): \(file.reason)")
            failed += 1
        })
        if let closing = format.closing { print(closing) }
        if failed > 0 { Terminal.note("\(failed) of \(files.count) images could not be read") }
        if labelled == 0 { throw CommandFailure(message: "none of the \(files.count) images could be read; see the reasons above") }
    }
}
