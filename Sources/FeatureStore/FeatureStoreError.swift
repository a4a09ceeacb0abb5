import Foundation

/// Everything that can go wrong with a feature store, each case saying what to do about it.
public enum FeatureStoreError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but is not an HDF5 file.
    case notHDF5(path: String)
    /// A dataset the layout requires is absent.
    case missingDataset(path: String, name: String)
    /// A dataset has an unexpected rank, width or element type.
    case invalidLayout(path: String, reason: String)
    /// `features`, `labels` (and `paths`, when present) disagree on the number of rows.
    case rowCountMismatch(path: String, features: Int, labels: Int, paths: Int?)
    /// A complete store already exists where a new one would be written.
    case alreadyExists(path: String)
    /// There is no interrupted (`.partial`) store to resume.
    case noPartialStore(path: String)
    /// An interrupted store cannot be resumed (it was cut off before its layout was complete).
    case unresumable(path: String, reason: String)
    /// A caller passed something inconsistent with the store (wrong width, unknown label, bad range).
    case invalidArgument(String)
    /// An HDF5 call failed.
    case hdf5(operation: String, path: String)
    /// A file-system operation failed.
    case io(operation: String, path: String, errno: Int32)
    /// A dataset declares a shape whose data the file does not hold (`reason` says why): the
    /// file is damaged or crafted.
    case declaredBeyondFile(path: String, dataset: String, shape: [Int], reason: String)
    /// Reading would need more memory than the reader's budget allows.
    case overBudget(path: String, what: String, bytes: Int, budget: Int)
    /// Stored data fails its checksum: the file changed after it was written.
    case checksumMismatch(path: String, dataset: String)
    /// The path names something other than a regular file (a FIFO, a device, a folder).
    case notARegularFile(path: String, kind: String)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file; check the path"
        case .notHDF5(let path):
            return "\(path) is not an HDF5 file; pass a feature store (.h5) written by spotcheck or h5py"
        case .missingDataset(let path, let name):
            return "\(path) has no '\(name)' dataset; a feature store needs 'features', 'labels' and "
                + "'label_names' — re-create the store or add the dataset with h5py"
        case .invalidLayout(let path, let reason):
            return "\(path): \(reason); re-create the store"
        case .rowCountMismatch(let path, let features, let labels, let paths):
            let pathText = paths.map { ", 'paths' \($0)" } ?? ""
            return "\(path): row counts disagree ('features' \(features), 'labels' \(labels)\(pathText)); "
                + "the file is damaged or was written by an interrupted tool — re-create it, or truncate "
                + "every dataset to the smallest count with h5py"
        case .alreadyExists(let path):
            return "\(path) already exists and is never overwritten silently; choose another output, "
                + "delete it, or ask for it to be replaced"
        case .noPartialStore(let path):
            return "\(path): no interrupted store to resume; create a new one instead"
        case .unresumable(let path, let reason):
            return "\(path) cannot be resumed (\(reason)); delete it and start the store again"
        case .invalidArgument(let what):
            return "invalid argument: \(what)"
        case .hdf5(let operation, let path):
            return "\(path): HDF5 could not \(operation); check the disk has space and the file is not "
                + "held open for writing by another program"
        case .io(let operation, let path, let errno):
            return "\(path): could not \(operation) (errno \(errno)); check permissions and free space"
        case .declaredBeyondFile(let path, let dataset, let shape, let reason):
            let shown = shape.map(String.init).joined(separator: " × ")
            return "\(path): '\(dataset)' declares \(shown) values but \(reason); the file is damaged or was "
                + "crafted — re-create the store"
        case .overBudget(let path, let what, let bytes, let budget):
            return "\(path): reading \(what) needs \(byteText(bytes)), more than the memory budget of "
                + "\(byteText(budget)); read the store in blocks of rows, or allow a larger budget"
        case .checksumMismatch(let path, let dataset):
            return "\(path): '\(dataset)' fails its checksum, so the file changed after it was written "
                + "(a disk error or an edit); extract the features again"
        case .notARegularFile(let path, let kind):
            return "\(path) is \(kind), not a regular file; pass a feature store (.h5) file"
        }
    }
}

/// A byte count for people: `6.0 KB`, `4.0 GB` (powers of 1000).
func byteText(_ bytes: Int) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
    var value = Double(bytes), unit = 0
    while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
    return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f", value) + " " + units[unit]
}
