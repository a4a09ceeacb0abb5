import ArgumentParser
import ClassicML
import FeatureStore
import FileSafety
import SpotcheckKit

/// Adds to a library error which of this command's flags changes the outcome: the libraries
/// describe problems in their own terms, only the command line knows its flags.
enum Advice {
    /// The command whose flags the advice names.
    enum Command {
        case run, train, incremental, exportCSV
    }

    /// Runs `body`, rethrowing its error with flag advice appended where there is some.
    /// - Parameters:
    ///   - command: the command running `body`.
    ///   - body: the work.
    /// - Returns: what `body` returns.
    /// - Throws: `body`'s error, possibly as a `CommandFailure` carrying the advice.
    static func adding<T>(for command: Command, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            guard let advice = advice(for: error, command: command) else { throw error }
            throw CommandFailure(message: "\(error) (\(advice))")
        }
    }

    private static func advice(for error: Error, command: Command) -> String? {
        switch (error, command) {
        case (SpotcheckError.outputNotWritable, .run):
            return "choose a writable folder with --out / --cache"
        case (SpotcheckError.storeInTheWay, .run):
            return "or choose another store folder with --cache"
        case (SpotcheckError.groupsUnreadable, .run):
            return "or leave out --groups"
        case (SpotcheckError.nothingEvaluated, .run):
            return "see --list for the classifier names"
        case (let error as CSVReadError, .incremental) where error.isRowError:
            return "--skip-bad-rows counts and skips such rows"
        case (IncrementalError.settingDiffers(let setting, _, _), .incremental):
            let flag = ["learner": "--learner", "learning rate": "--lr", "l2": "--l2"][setting] ?? setting
            return "drop \(flag) when resuming"
        case (FeatureStoreError.alreadyExists, .exportCSV), (FileSafetyError.alreadyExists, .exportCSV),
             (FileSafetyError.alreadyExists, .train):
            return "pass --overwrite to replace it"
        case (ClassicMLError.modelFile(let text), .train) where text.contains("already exists"):
            return "pass --overwrite to replace it"
        default:
            return nil
        }
    }
}

/// A command's failure: the library's message with the command's advice.
struct CommandFailure: Error, CustomStringConvertible {
    /// What to print.
    let message: String

    var description: String { message }
}
