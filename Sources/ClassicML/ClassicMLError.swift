/// Everything that can go wrong in `ClassicML`, each case saying what to do about it.
public enum ClassicMLError: Error, Equatable, CustomStringConvertible {
    /// `x` and `y` disagree in length, or a matrix has the wrong width.
    case shapeMismatch(String)
    /// A feature value is NaN or infinite.
    case nonFiniteValue(row: Int, column: Int)
    /// A feature value of named input (`part`: e.g. `test` rows, or the row given to an online
    /// learner) is NaN or infinite; `row` is its row within that input when there are several.
    case nonFiniteInput(part: String, row: Int?, column: Int)
    /// Training data holds fewer than two distinct classes.
    case singleClass(label: Int?)
    /// Too few samples for the requested split or folds.
    case tooFewSamples(String)
    /// A hyper-parameter is out of range.
    case invalidParameter(String)
    /// A model file could not be read.
    case modelFile(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let what):
            return "shape mismatch: \(what)"
        case .nonFiniteValue(let row, let column):
            return "feature value at row \(row), column \(column) is NaN or infinite; clean or impute the features first"
        case .nonFiniteInput(let part, let row, let column):
            let place = row.map { "\(part) row \($0), column \(column)" } ?? "\(part), column \(column)"
            return "\(place) is NaN or infinite; the input was refused — clean or impute the features first"
        case .singleClass(let label):
            let which = label.map { " (only label \($0))" } ?? ""
            return "training data holds a single class\(which); a classifier needs at least two"
        case .tooFewSamples(let what):
            return "too few samples: \(what)"
        case .invalidParameter(let what):
            return "invalid parameter: \(what)"
        case .modelFile(let what):
            return "model file: \(what)"
        }
    }
}
