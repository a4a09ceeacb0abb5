import Foundation

/// A labelled image folder as found on disk by ``DatasetDiscovery``: the classes (sorted), the
/// image files with their labels in a stable order, what was skipped and why, and warnings.
public struct Dataset: Sendable, Equatable {
    /// One image file and its class.
    public struct Sample: Sendable, Equatable {
        /// The file, as reached through the dataset folder (symbolic links are not resolved).
        public let url: URL
        /// Index into ``Dataset/classes``.
        public let label: Int
    }

    /// A file or folder that was not taken as a sample.
    public struct Skipped: Sendable, Equatable {
        /// What was skipped.
        public let url: URL
        /// Why, in words.
        public let reason: String
    }

    /// The folder that holds the class folders (`DIR` or the cookbook's `DIR/images`).
    public let root: URL
    /// Class names (folder names) with at least one image, sorted byte-wise.
    public let classes: [String]
    /// Every image, ordered by class, then by file name byte-wise: the same on every machine.
    public let samples: [Sample]
    /// Files and folders not taken, with the reason.
    public let skipped: [Skipped]
    /// Problems that do not stop the work, e.g. a class folder without usable images.
    public let warnings: [String]
    /// A cheap hash of the samples' relative paths, sizes, modification and change times and
    /// inodes (32 hex digits): it changes when an image is added, removed, renamed or rewritten
    /// (even with its old date set back).
    public let fingerprint: String

    /// The labels of ``samples``, in order.
    public var labels: [Int] { samples.map(\.label) }
}

/// Why a folder cannot be used as a dataset.
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case missing(path: String)
    /// The path is a file, not a folder.
    case notAFolder(path: String)
    /// The folder cannot be listed (the system's message).
    case unreadable(path: String, reason: String)
    /// The folder holds no class sub-folders.
    case noClassFolders(path: String)
    /// Fewer than two class folders hold usable images.
    case tooFewClasses(path: String, classesWithImages: [String])

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .missing(let path):
            return "dataset folder \(path) does not exist; pass the folder that holds one sub-folder per class"
        case .notAFolder(let path):
            return "\(path) is a file, not a folder; pass the folder that holds one sub-folder per class"
        case .unreadable(let path, let reason):
            return "cannot list \(path): \(reason); check its permissions"
        case .noClassFolders(let path):
            return "\(path) has no class folders; arrange the images as DIR/<class>/<image> or DIR/images/<class>/<image>"
        case .tooFewClasses(let path, let classes):
            return "\(path) has \(classes.count) class folder(s) with images (\(classes.joined(separator: ", "))); "
                + "a classifier needs at least two — add images to more class folders"
        }
    }
}
