import Glibc

/// What a path names, following symbolic links — so that a reader can refuse a named pipe,
/// device or socket before opening it (opening a FIFO for reading blocks until a writer
/// appears; reading a device may never end).
public enum FileKind: Sendable, Equatable, CustomStringConvertible {
    /// A regular file.
    case regular
    /// A folder.
    case folder
    /// A named pipe (FIFO).
    case fifo
    /// A character device such as a terminal or `/dev/zero`.
    case characterDevice
    /// A block device such as a disk.
    case blockDevice
    /// A Unix-domain socket.
    case socket
    /// Nothing (or a dangling symbolic link, or a name that cannot be examined).
    case missing

    /// The kind of what `path` names, following symbolic links (`stat(2)`).
    /// - Parameter path: the path to examine.
    public init(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { self = .missing; return }
        self.init(mode: status.st_mode)
    }

    /// The kind of an open file (`fstat(2)`).
    /// - Parameter descriptor: an open file descriptor.
    public init(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { self = .missing; return }
        self.init(mode: status.st_mode)
    }

    private init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .folder
        case S_IFIFO: self = .fifo
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFSOCK: self = .socket
        default: self = .missing
        }
    }

    /// The kind in words, e.g. `a named pipe (FIFO)`.
    public var description: String {
        switch self {
        case .regular: return "a regular file"
        case .folder: return "a folder"
        case .fifo: return "a named pipe (FIFO)"
        case .characterDevice: return "a character device"
        case .blockDevice: return "a block device"
        case .socket: return "a socket"
        case .missing: return "missing"
        }
    }

    /// Opens `path` read-only without ever blocking on a FIFO or device, and keeps the
    /// descriptor only when it is a regular file (checked on the open file, so a name swapped
    /// between a check and the open cannot slip through).
    /// - Parameter path: the file to open.
    /// - Returns: the descriptor (close it when done) and the file's size in bytes, or the kind
    ///   found instead of a regular file; `errno` is set when the open itself failed (`.missing`).
    public static func openRegularFile(_ path: String) -> Result<(descriptor: Int32, size: Int), OpenRefusal> {
        let kind = FileKind(path: path)
        guard kind == .regular else { return .failure(OpenRefusal(kind: kind, errno: kind == .missing ? errno : 0)) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(OpenRefusal(kind: .missing, errno: errno)) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            let found = FileKind(descriptor: descriptor)
            close(descriptor)
            return .failure(OpenRefusal(kind: found, errno: 0))
        }
        // Regular files ignore O_NONBLOCK; clear it anyway so later reads behave as usual.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return .success((descriptor, Int(status.st_size)))
    }
}

/// Why ``FileKind/openRegularFile(_:)`` did not open a file.
public struct OpenRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the path names instead of a regular file (`.missing` when it could not be opened).
    public let kind: FileKind
    /// The system's error number when opening or examining failed, else 0.
    public let errno: Int32

    /// The reason in words, e.g. `it is a named pipe (FIFO), not a regular file`.
    public var description: String {
        if kind == .missing {
            return errno == 0 ? "it does not exist" : String(cString: strerror(errno))
        }
        return "it is \(kind), not a regular file"
    }
}
