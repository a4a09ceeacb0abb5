import ArgumentParser
import SpotcheckKit

/// `--test-fraction` and `--seed`, shared by every command that splits rows.
struct SplitOptionGroup: ParsableArguments {
    @Option(help: "Share of each class held out for testing, between 0 and 1.")
    var testFraction: Double = 0.2

    @Option(help: "Seed of every random choice (split, folds, randomised classifiers).")
    var seed: UInt64 = 42

    func validate() throws {
        guard testFraction > 0, testFraction < 1 else {
            throw ValidationError("--test-fraction must be between 0 and 1 (exclusive), got \(testFraction)")
        }
    }

    /// The library's split options, with `folds` cross-validation folds repeated `repeats` times.
    func options(folds: Int = 0, repeats: Int = 1) -> SplitOptions {
        SplitOptions(testFraction: testFraction, seed: seed, folds: folds, repeats: repeats)
    }
}
