import ArgumentParser
import ClassicML
import Extractor
import Foundation
import LinearAlgebra

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

    @Option(name: .long, help: "Images per network batch.")
    var batch: Int = 16

    @Option(name: .long, help: "Threads for decoding and the network.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let saved = try ModelFile.load(from: URL(fileURLWithPath: model))
        guard let backboneName = saved.metadata["backbone"] else {
            throw ValidationError("\(model) records no backbone: it was trained on features from another tool, so spotcheck cannot make its inputs from images")
        }
        let layout: FeatureLayout
        do { layout = try FeatureLayout(parsing: saved.metadata["layout"] ?? "avg") } catch {
            throw ValidationError("\(model): \(error.description)")
        }
        guard let fit = Preprocessing.Fit(rawValue: saved.metadata["fit"] ?? "crop") else {
            throw ValidationError("\(model) records an unknown fit \(saved.metadata["fit"] ?? ""); expected crop, squash or pad")
        }
        let files = try ImageFiles.collect(inputs)
        let backbone = try BackboneRegistry.load(backboneName, threads: threads)
        let width = layout.dimension(for: backbone.featureMapShape)
        if let recorded = saved.metadata["feature_dimension"].flatMap(Int.init), recorded != width {
            throw ValidationError("\(model) was trained on \(recorded) features, but \(backboneName) in layout \(layout.name) gives \(width); its metadata does not describe its store — retrain it with spotcheck run or spotcheck train --save")
        }
        let preset = backbone.descriptor.preprocessing.fitting(fit)
        let pool = try DecoderPool(urls: files, preset: preset, batchSize: batch, threads: threads)
        var failed = 0
        for decoded in pool {
            for failure in decoded.failures {
                Terminal.note("skipped \(failure.description)")
                failed += 1
            }
            guard decoded.images.count > 0 else { continue }
            let features = try backbone.features(batch: decoded.images, layout: layout)
            let x = try saved.scaler?.transform(features) ?? features
            let labels = saved.classifier.predict(x)
            let probabilities = (saved.classifier as? any ProbabilisticClassifier)?.predictProba(x)
            for (row, index) in decoded.sampleIndices.enumerated() {
                let label = labels[row]
                let name = label < saved.classNames.count ? saved.classNames[label] : String(label)
                var line = files[index].path + "\t" + name
                if let probabilities, let column = saved.classifier.classes.firstIndex(of: label) {
                    line += String(format: "\t%.4f", probabilities[row, column])
                }
                print(line)
            }
        }
        if failed > 0 { Terminal.note("\(failed) of \(files.count) images could not be read") }
    }
}
