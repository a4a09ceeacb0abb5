import ArgumentParser
import Foundation
import SpotcheckKit

/// `spotcheck fit`: one extractor × classifier pair of a planned run.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Score one extractor × classifier pair of a planned run (one job-array task).",
        discussion: """
        Pair K is recipe K ÷ C with classifier K mod C (C classifiers; `plan.json` lists the pairs). \
        It is scored as `spotcheck run` scores every pair — cross-validated on the training rows of \
        RUN/split.json, fitted on all of them and scored once on the test rows — and its result goes to \
        RUN/results/<store>+<classifier>.json with the fitted model beside it. Without --pair (or \
        --extractor and --classifier) the index comes from SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX.
        """)

    @OptionGroup var plan: PlanOptionGroup

    @Option(name: .long, help: "The pair (default: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX).")
    var pair: Int?

    @Option(name: .long, help: "The extractor of the pair, with --classifier, instead of --pair.")
    var extractor: String?

    @Option(name: .long, help: "The classifier of the pair, with --extractor, instead of --pair.")
    var classifier: String?

    func validate() throws {
        guard (extractor == nil) == (classifier == nil) else { throw ValidationError("give --extractor and --classifier together") }
        guard pair == nil || extractor == nil else { throw ValidationError("give either --pair or --extractor and --classifier") }
    }

    func run() throws {
        let record = try Advice.adding(for: .fit) {
            let run = try plan.run()
            let index = try extractor.map { try run.pairIndex(extractor: $0, classifier: classifier ?? "") }
                ?? ShardedRun.taskIndex(given: pair, what: "pair")
            return try run.fit(pair: index, observer: TerminalObserver(verbose: true))
        }
        let result = record.result
        if let accuracy = result.accuracy {
            print(String(format: "%@: test accuracy %.3f", record.name, accuracy)
                  + (result.cvMean.map { String(format: ", CV %.3f ± %.3f", $0, result.cvStd ?? 0) } ?? ""))
        } else {
            print("\(record.name): failed — \(result.error ?? "unknown error")")
        }
    }
}
