import Foundation
import SpotcheckKit

// Which backbone × classifier pair suits a folder of labelled images (DIR/<class>/*.jpg)?
let folder = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "data/demo")
var configuration = SpotcheckConfiguration(.images(folder))
configuration.recipes = [FeatureRecipe(backbone: "squeezenet1_1"), FeatureRecipe(backbone: "mobilenet_v2")]
configuration.outputFolder = FileManager.default.temporaryDirectory.appendingPathComponent("find-best-pair")

// The steps one by one; `run.execute()` would do them all and write the reports.
let run = try SpotcheckRun(configuration)
let stores = try run.extractStores()
let split = try run.split(stores)
let verdict = try run.evaluate(stores, split: split)

print("\(stores.commonRows.count) images, \(stores.classes.count) classes, \(verdict.results.count) pairs scored")
for best in verdict.bestPerExtractor {
    print("  best on \(best.extractor): \(best.classifier), test accuracy \(best.accuracy)")
}
print("winner: \(verdict.winner.extractor) + \(verdict.winner.classifier)")
