import FileSafety
import Foundation

/// Shell scripts spotcheck writes for schedulers.
enum ShellScript {
    /// `text` as one word for bash: in single quotes, each `'` written `'\''`.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Writes an executable script atomically, creating its folder.
    /// - Throws: `ShardedRunError.notWritable`.
    static func write(_ text: String, to url: URL) throws {
        try ShardedRun.write(Data(text.utf8), to: url)
        guard chmod(url.path, 0o755) == 0 else {
            throw ShardedRunError.notWritable(path: url.path, reason: String(cString: strerror(errno)))
        }
    }
}
