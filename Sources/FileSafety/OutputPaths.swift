import Foundation
import Glibc

/// Checks made before any work on the files a command will write: never one of its own inputs
/// (by any name: symbolic links and hard links are seen through), never two outputs on one file,
/// and a folder that can take them — so a long computation never ends in a lost input, a torn
/// output or an "unwritable" error.
public enum OutputPaths {
    /// Refuses outputs that are inputs or each other, and outputs that cannot be written.
    /// - Parameters:
    ///   - outputs: the files the command will write.
    ///   - inputs: the files it reads.
    ///   - replacing: whether existing outputs may be replaced (otherwise an existing output is refused).
    /// - Throws: `FileSafetyError.outputIsInput`, `.sameOutputTwice`, `.alreadyExists` or `.io`
    ///   (the folder is missing or not writable).
    public static func check(_ outputs: [URL], inputs: [URL], replacing: Bool) throws(FileSafetyError) {
        for (index, output) in outputs.enumerated() {
            if let input = inputs.first(where: { sameFile($0, output) }) {
                throw .outputIsInput(output: output.path, input: input.path)
            }
            if let other = outputs[..<index].first(where: { sameFile($0, output) }) {
                throw .sameOutputTwice(first: other.path, second: output.path)
            }
            if !replacing, FileManager.default.fileExists(atPath: output.path) {
                throw .alreadyExists(path: output.path)
            }
            let folder = output.deletingLastPathComponent().path
            guard access(folder, W_OK | X_OK) == 0 else { throw .io(operation: "write into the folder", path: folder, errno: errno) }
        }
    }

    /// Whether two paths name one file: the same device and inode when both exist, else the same
    /// canonical path (symbolic links of the folders resolved).
    /// - Returns: true when writing one would change the other.
    public static func sameFile(_ a: URL, _ b: URL) -> Bool {
        var first = stat(), second = stat()
        if stat(a.path, &first) == 0, stat(b.path, &second) == 0 {
            return first.st_dev == second.st_dev && first.st_ino == second.st_ino
        }
        return canonical(a) == canonical(b)
    }

    /// The path with its folder's symbolic links resolved (the file itself may not exist yet).
    private static func canonical(_ url: URL) -> String {
        let standard = url.standardizedFileURL
        return standard.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(standard.lastPathComponent).path
    }
}
