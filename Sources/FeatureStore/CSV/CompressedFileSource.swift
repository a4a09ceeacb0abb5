import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// A file read in large chunks through zlib's `gzread`, which inflates gzip input and passes
/// any other file through unchanged — so `.csv` and `.csv.gz` take the same path.
final class CompressedFileSource {
    private let file: gzFile
    private let path: String

    /// Opens `path` for reading.
    /// - Throws: `CSVReadError.unreadable` when the file cannot be opened.
    init(path: String) throws(CSVReadError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVReadError(path: path, line: 0, column: 0,
                               kind: .unreadable(reason: String(cString: strerror(errno))))
        }
        guard let file = gzdopen(fd, "rb") else {
            close(fd)
            throw CSVReadError(path: path, line: 0, column: 0, kind: .unreadable(reason: "zlib could not open it"))
        }
        // A large internal buffer: one read(2) per megabyte rather than per 8 KiB.
        gzbuffer(file, 1 << 20)
        self.file = file
    }

    deinit { gzclose(file) }

    /// Reads up to `capacity` bytes into `destination`.
    /// - Returns: the number of bytes read; 0 at the end of the file.
    /// - Throws: `CSVReadError.unreadable` for an I/O error, `.corruptGzip` for a bad or
    ///   truncated gzip stream.
    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws(CSVReadError) -> Int {
        let count = gzread(file, destination, UInt32(min(capacity, Int(Int32.max))))
        var code: Int32 = 0
        let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
        if count < 0 || (code != Z_OK && code != Z_STREAM_END) {
            let kind: CSVReadError.Kind = code == Z_ERRNO
                ? .unreadable(reason: String(cString: strerror(errno)))
                : .corruptGzip(reason: message)
            throw CSVReadError(path: path, line: 0, column: 0, kind: kind)
        }
        return Int(count)
    }
}
