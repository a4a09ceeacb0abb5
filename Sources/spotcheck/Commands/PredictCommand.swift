import ArgumentParser
import Foundation
import SpotcheckKit

/// `spotcheck predict`: labels new images with a saved model (backbone + classifier + scaler).
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Label images with a model saved by `spotcheck run` or `spotcheck train --save`.",
        discussion: "Prints one line per image: path, predicted class and, where the classifier estimates it, its probability.")

    @Option(name: .long, help: "The model file (e.g. reports/best_model.json).")
    var model: String

    @Argument(help: "Image files or folders (searched recursively).")
    var inputs: [String]

    @OptionGroup var compute: ComputeOptionGroup

    func run() throws {
        let files = try ImageFiles.collect(inputs)
        let imageModel = try ImageModel(contentsOf: URL(fileURLWithPath: model), threads: compute.threads)
        var failed = 0
        try imageModel.predict(files, batchSize: min(compute.batch, files.count), threads: compute.threads, each: { prediction in
            print([prediction.file.path, prediction.className]
                  .joined(separator: "\t") + (prediction.probability.map { String(format: "\t%.4f", $0) } ?? ""))
        }, failed: { file in
            Terminal.note("skipped \(file.path): \(file.reason)")
            failed += 1
        })
        if failed > 0 { Terminal.note("\(failed) of \(files.count) images could not be read") }
    }
}
