import FileSafety
import Foundation
import Glibc

/// Checks a weights file against its published sha256 the first time it is used, and remembers
/// the verdict so that later loads cost one `stat`: a marker file beside the weights,
/// `.NAME.sha256-verified`, written atomically, records the digest together with the file's
/// size, modification and change times, inode and device. Any change to the file changes one of
/// those (the change time cannot be set back), so the file is hashed again.
public enum WeightsVerification {
    /// The marker's name for a weights file.
    /// - Parameter url: the weights file.
    /// - Returns: `.NAME.sha256-verified` in the same folder.
    public static func markerURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).sha256-verified")
    }

    /// Makes sure `url` has the sha256 `expected`, hashing it only when no valid marker says so
    /// already. When the folder cannot be written the file is simply hashed on every call.
    /// - Parameters:
    ///   - url: the weights file.
    ///   - expected: the published digest (64 lowercase hex digits).
    /// - Returns: `true` when the file was hashed now, `false` when a marker vouched for it.
    /// - Throws: ``CheckpointError`` with `.missingFile` or `.unreadable`, or `.digestMismatch`
    ///   naming both digests (no marker is written then, and a stale one is removed).
    @discardableResult
    public static func verify(_ url: URL, expected: String) throws(CheckpointError) -> Bool {
        guard let before = Stamp(url) else { throw CheckpointError(file: url.path, reason: .missingFile) }
        let marker = markerURL(for: url)
        if let recorded = try? String(contentsOf: marker, encoding: .utf8), recorded == before.marker(expected) {
            return false
        }
        let found: String
        do {
            found = try SHA256.hexDigest(of: url)
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw CheckpointError(file: url.path, reason: .unreadable("\(error)"))
        }
        guard found == expected.lowercased() else {
            unlink(marker.path)
            throw CheckpointError(file: url.path, reason: .digestMismatch(expected: expected, found: found))
        }
        // Only vouch for the file if it did not change while it was being hashed.
        if let after = Stamp(url), after == before {
            try? AtomicFile.write(Data(after.marker(expected).utf8), to: marker, replacing: true)
        }
        return true
    }

    /// What identifies one version of a file without reading it.
    private struct Stamp: Equatable {
        let size: Int
        let modified: timespec
        let changed: timespec
        let inode: UInt
        let device: UInt

        init?(_ url: URL) {
            var status = stat()
            guard stat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
            size = Int(status.st_size)
            modified = status.st_mtim
            changed = status.st_ctim
            inode = UInt(status.st_ino)
            device = UInt(status.st_dev)
        }

        func marker(_ digest: String) -> String {
            "sha256 \(digest.lowercased()) size \(size) mtime \(modified.tv_sec).\(modified.tv_nsec) "
                + "ctime \(changed.tv_sec).\(changed.tv_nsec) inode \(inode) device \(device)\n"
        }

        static func == (a: Stamp, b: Stamp) -> Bool {
            a.size == b.size && a.inode == b.inode && a.device == b.device
                && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
                && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
        }
    }
}
