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
        guard let before = FileStamp(url) else { throw CheckpointError(file: url.path, reason: .missingFile) }
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
        if let after = FileStamp(url), after == before {
            try? AtomicFile.write(Data(after.marker(expected).utf8), to: marker, replacing: true)
        }
        return true
    }
}

extension FileStamp {
    /// The marker's text for a file of digest `digest` and this stamp.
    fileprivate func marker(_ digest: String) -> String {
        "sha256 \(digest.lowercased()) size \(size) mtime \(modified.seconds).\(modified.nanoseconds) "
            + "ctime \(changed.seconds).\(changed.nanoseconds) inode \(inode) device \(device)\n"
    }
}
