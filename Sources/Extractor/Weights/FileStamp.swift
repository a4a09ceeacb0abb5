import Foundation
import Glibc

/// What identifies one version of a file without reading it: size, modification and change
/// times, inode and device. Any write changes one of them (the change time cannot be set back).
package struct FileStamp: Equatable, Sendable {
    let size: Int
    let modified: (seconds: Int, nanoseconds: Int)
    let changed: (seconds: Int, nanoseconds: Int)
    let inode: UInt
    let device: UInt

    /// The stamp of a regular file, or nil when there is none at `url`.
    /// - Parameter url: the file.
    package init?(_ url: URL) {
        var status = stat()
        guard stat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        size = Int(status.st_size)
        modified = (Int(status.st_mtim.tv_sec), Int(status.st_mtim.tv_nsec))
        changed = (Int(status.st_ctim.tv_sec), Int(status.st_ctim.tv_nsec))
        inode = UInt(status.st_ino)
        device = UInt(status.st_dev)
    }

    /// Whether two stamps describe the same version of a file.
    package static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.size == b.size && a.inode == b.inode && a.device == b.device && a.modified == b.modified
            && a.changed == b.changed
    }
}
