import ClassicML
import FileSafety
import Foundation

/// The files a finished run leaves in its output folder — `final_report.json`,
/// `final_report.html` and the winner as `best_model.json` — committed as one unit, the
/// previous run's files moved to `previous/`.
public enum RunOutputs {
    /// The report's file name.
    public static let reportName = "final_report.json"
    /// The HTML page's file name.
    public static let pageName = "final_report.html"
    /// The saved winner's file name.
    public static let modelName = "best_model.json"

    /// Builds the report and commits it with the winner's model.
    /// - Returns: the report and the output paths.
    /// - Throws: `FileSafetyError` when the files cannot be written (the previous ones stay), or
    ///   `FeatureStoreError` when the winner's store cannot be read for its metadata.
    static func write(run: SpotcheckRun, stores: RunStores, split: RunSplit, verdict: Verdict,
                      timings: SpotcheckReport.Timings) throws -> SpotcheckResult {
        let folder = run.configuration.outputFolder
        var files = [(name: String, data: Data)]()
        var modelFile: URL?
        if let fitted = verdict.winnerModel {
            let metadata = try ModelMetadata(classifier: verdict.winner.classifier,
                                             store: URL(fileURLWithPath: verdict.winner.featureFile))
            let model = SavedModel(classifier: fitted.classifier, scaler: fitted.scaler, classNames: stores.classes,
                                   metadata: metadata.dictionary)
            files.append((modelName, try ModelFile.encode(model)))
            modelFile = folder.appendingPathComponent(modelName)
        }
        let report = run.report(stores, split: split, verdict: verdict, timings: timings, modelFile: modelFile?.path)
        let thumbnails = report.best.map { Thumbnails.misclassified(by: $0, root: run.dataset?.root) } ?? [:]
        files.append((pageName, Data(ReportHTML.render(report, thumbnails: thumbnails).utf8)))
        // The JSON report goes last: it names the model written before it.
        files.append((reportName, try report.jsonData()))
        try OutputCommit.commit(files, in: folder)
        return SpotcheckResult(report: report, reportFile: folder.appendingPathComponent(reportName),
                               pageFile: folder.appendingPathComponent(pageName), modelFile: modelFile)
    }
}

/// A finished run: the report and where its files are.
public struct SpotcheckResult: Sendable {
    /// The report (also in `reportFile`).
    public var report: SpotcheckReport
    /// `final_report.json`.
    public var reportFile: URL
    /// `final_report.html`.
    public var pageFile: URL
    /// `best_model.json`, when the winner could be saved.
    public var modelFile: URL?
}
