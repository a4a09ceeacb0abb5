import Foundation
import Glibc

/// An advisory lock (`flock(2)`) on a folder, so that two spotcheck processes never write the
/// same outputs at once. The lock lives in a hidden file in the folder that names its holder;
/// the kernel releases it when the holder exits, however it exits.
public final class FolderLock: @unchecked Sendable {
    /// The hidden file that carries the lock.
    public static let fileName = ".spotcheck.lock"

    /// The locked folder.
    public let folder: URL
    private var descriptor: Int32

    /// Locks `folder` (creating it if needed). When another process holds the lock, `waiting`
    /// is told who holds it and the call blocks until the lock is free.
    /// - Parameters:
    ///   - folder: the folder to lock.
    ///   - waiting: called once, with the holder's description, before blocking.
    /// - Throws: `FileSafetyError.io` when the folder or its lock file cannot be made.
    public init(_ folder: URL, waiting: (String) -> Void = { _ in }) throws(FileSafetyError) {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .io(operation: "create the folder", path: folder.path, errno: posixCode(of: error))
        }
        let path = folder.appendingPathComponent(Self.fileName).path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(operation: "open the lock file", path: path, errno: errno) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let code = errno
                close(descriptor)
                throw .io(operation: "lock", path: path, errno: code)
            }
            waiting(Self.holder(of: path))
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let code = errno
                    close(descriptor)
                    throw .io(operation: "lock", path: path, errno: code)
                }
            }
        }
        let note = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Releases the lock (also released when the process ends).
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    /// Who holds the lock at `path`, as its holder wrote it.
    private static func holder(of path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? "another spotcheck process" : "spotcheck process \(text)"
    }
}
