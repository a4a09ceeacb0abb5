/// Why a spot-check step refused to go on; each case says what is wrong and what to do, in the
/// library's terms (the command-line tool adds which flag to change).
public enum SpotcheckError: Error, Equatable, CustomStringConvertible {
    /// A class has too few rows for a stratified train/test split.
    case classTooSmall(name: String, count: Int)
    /// An output or store folder cannot be created or written.
    case outputNotWritable(path: String, reason: String)
    /// Several feature files cannot be compared (other classes, other labels, no shared rows).
    case featureFilesDisagree(String)
    /// The list of source photos cannot be read.
    case groupsUnreadable(path: String, reason: String)
    /// A file spotcheck did not make sits where a feature store goes.
    case storeInTheWay(path: String, reason: String)
    /// No classifier could be evaluated, so there is no answer.
    case nothingEvaluated(String)
    /// A saved model cannot label images.
    case modelUnusable(path: String, reason: String)
    /// One backbone was given an empty weights path or two different weights files.
    case conflictingWeights(backbone: String, entries: [String])

    /// Refuses a class with fewer than two rows: a stratified split needs one on each side.
    /// - Parameters:
    ///   - labels: the label of every row.
    ///   - classes: the class names, by label.
    /// - Throws: `.classTooSmall` for the first class with fewer than two rows.
    public static func checkClassSizes(labels: [Int], classes: [String]) throws(SpotcheckError) {
        var counts = [Int](repeating: 0, count: classes.count)
        for label in labels where counts.indices.contains(label) { counts[label] += 1 }
        for (label, name) in classes.enumerated() where counts[label] < 2 {
            throw .classTooSmall(name: name, count: counts[label])
        }
    }

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .classTooSmall(let name, let count):
            return "class \(name) has \(count) image(s); a stratified train/test split needs at least 2 per class — add images or remove the class folder"
        case .featureFilesDisagree(let what):
            return "the feature files cannot be compared: \(what); pass stores made from the same dataset"
        case .groupsUnreadable(let path, let reason):
            return "cannot read the source groups in \(path): \(reason); give a CSV with file and source columns (as `spotcheck rotations` writes)"
        case .storeInTheWay(let path, let reason):
            return "\(path) is where a feature store goes, but spotcheck did not make it (\(reason)); it is left untouched — move it away or keep the stores in another folder"
        case .outputNotWritable(let path, let reason):
            return "cannot write to \(path) (\(reason)); choose a writable folder"
        case .modelUnusable(let path, let reason):
            return "\(path) cannot label images: \(reason)"
        case .conflictingWeights(let backbone, let entries):
            return "\(backbone) is given more than one weights file, or an empty one (\(entries.joined(separator: ", "))); "
                + "name one file per backbone"
        case .nothingEvaluated(let why):
            return "no classifier could be evaluated (\(why)); nothing was written — check the classifier names and the features"
        }
    }
}
