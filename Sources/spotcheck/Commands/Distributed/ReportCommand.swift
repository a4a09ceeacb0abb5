import ArgumentParser
import Foundation
import SpotcheckKit

/// `spotcheck report`: the outputs of a planned run, from its pairs' results.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Assemble a planned run's final_report.json, final_report.html and best_model.json.",
        discussion: """
        Ranks the pairs' results in RUN/results/ exactly as `spotcheck run` ranks its own and writes \
        the same three outputs into RUN (the previous ones move to RUN/previous/). Refuses while a \
        pair has no result: `spotcheck status` says which.
        """)

    @OptionGroup var plan: PlanOptionGroup

    @Option(name: .long, help: "Pairs shown in the table on stdout (the report has all of them).")
    var top: Int = 15

    func run() throws {
        let result = try Advice.adding(for: .report) {
            try plan.run().report(command: CommandLine.arguments, observer: TerminalObserver())
        }
        ResultTable.print(result.report, top: top)
        print("Reports: \(result.reportFile.path), \(result.pageFile.path)"
              + (result.modelFile.map { "; model: \($0.path)" } ?? ""))
    }
}
