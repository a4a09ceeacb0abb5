import Foundation
import Glibc

/// Files that appear whole or not at all: every file spotcheck writes goes to a temporary name in
/// the destination's folder, is flushed to disk, and only then takes its final name, so a crash,
/// a kill or a full disk never leaves a half-written file under a name a person relies on.
public enum AtomicFile {
    /// Writes `data` to `url` through a temporary file that is then moved into place (synced).
    /// - Parameters:
    ///   - data: the whole content.
    ///   - url: the destination.
    ///   - replacing: replace an existing file at `url` (atomically); when false (the default) an
    ///     existing file is left untouched and the call throws.
    /// - Throws: `FileSafetyError.alreadyExists` when `url` exists and `replacing` is false;
    ///   `.io` when the folder is missing, not writable or full (the temporary file is removed).
    public static func write(_ data: Data, to url: URL, replacing: Bool = false) throws(FileSafetyError) {
        let temporary = temporaryURL(for: url)
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(operation: "create a temporary file", path: temporary.path, errno: errno) }
        var failure: FileSafetyError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, failure == nil {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno != EINTR { failure = .io(operation: "write", path: url.path, errno: errno) }
                } else {
                    offset += written
                }
            }
        }
        close(descriptor)
        if let failure {
            unlink(temporary.path)
            throw failure
        }
        do {
            try moveIntoPlace(temporary, url, replacing: replacing)
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    /// Gives a finished temporary file its final name.
    ///
    /// The file's content is synced first. Without `replacing`, an existing destination is never
    /// replaced: `link(2)` makes the new name (it refuses to replace), then the temporary name is
    /// removed. With it, `rename(2)` swaps the file in atomically. Either way the folder is synced
    /// so the name survives a crash.
    /// - Parameters:
    ///   - temporary: the finished file, in the same folder as `destination`.
    ///   - destination: the final name.
    ///   - replacing: replace an existing `destination`.
    /// - Throws: `FileSafetyError.alreadyExists` when `destination` exists and `replacing` is
    ///   false (the temporary file is kept); `.io` on another failure.
    public static func moveIntoPlace(_ temporary: URL, _ destination: URL, replacing: Bool) throws(FileSafetyError) {
        try sync(temporary)
        if replacing {
            guard rename(temporary.path, destination.path) == 0 else {
                throw .io(operation: "rename into place", path: destination.path, errno: errno)
            }
        } else {
            guard link(temporary.path, destination.path) == 0 else {
                if errno == EEXIST { throw .alreadyExists(path: destination.path) }
                throw .io(operation: "rename into place", path: destination.path, errno: errno)
            }
            unlink(temporary.path)
        }
        syncFolder(of: destination)
    }

    /// A fresh, hidden temporary name beside `url`: `.NAME.<pid>.<random>.partial`.
    /// - Parameter url: the final destination.
    /// - Returns: a name in the same folder (so the final rename never crosses file systems).
    public static func temporaryURL(for url: URL) -> URL {
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(token).partial")
    }

    /// Flushes a file written by another library (HDF5, a stream) to disk.
    private static func sync(_ url: URL) throws(FileSafetyError) {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(operation: "open", path: url.path, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .io(operation: "flush to disk", path: url.path, errno: errno) }
    }

    /// Flushes the folder holding `url`, so a rename into it survives a power cut (best effort:
    /// file systems that cannot sync folders are left as they are).
    private static func syncFolder(of url: URL) {
        let folder = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return }
        fsync(folder)
        close(folder)
    }
}
