import Extractor
import Foundation

extension Dataset {
    /// `url` relative to the dataset root, as feature stores record it in `paths` (a file
    /// outside the root keeps its whole path).
    /// - Parameter url: an image of the dataset.
    /// - Returns: e.g. `birds/robin.png`.
    public func relativePath(of url: URL) -> String {
        let root = self.root.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
