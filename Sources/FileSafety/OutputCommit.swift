import Foundation
import Glibc

/// Puts several finished files into a folder as one unit: either all of them replace the
/// previous ones, or (after a crash) the next ``recover(in:)`` finishes the job — readers never
/// see a new report beside an old model.
///
/// The files are first written whole under temporary names; a journal listing every move is
/// written (atomically); the previous files move to `previous/`; the new ones take their names;
/// the journal is removed. Each step can be repeated, so recovery simply replays the journal.
public enum OutputCommit {
    /// The journal's name in the folder.
    public static let journalName = ".spotcheck-commit.json"
    /// Where the files they replace go.
    public static let previousFolderName = "previous"

    private struct Journal: Codable {
        /// Final name → temporary name, in the order they are moved.
        var moves: [[String]]
    }

    /// Writes `files` (final name → content) into `folder` as one unit; files of those names
    /// that exist already move to `folder/previous/` (replacing what was there).
    /// - Parameters:
    ///   - files: the content of each file, by its name in `folder`, in the order they take their names.
    ///   - folder: the output folder (it must exist).
    /// - Throws: `FileSafetyError.io` when a file cannot be written; nothing visible changes then.
    public static func commit(_ files: [(name: String, data: Data)], in folder: URL) throws(FileSafetyError) {
        var moves = [[String]]()
        do {
            for file in files {
                let final = folder.appendingPathComponent(file.name)
                let temporary = AtomicFile.temporaryURL(for: final)
                try AtomicFile.write(file.data, to: temporary)
                moves.append([file.name, temporary.lastPathComponent])
            }
            let journal = try encoded(Journal(moves: moves))
            try AtomicFile.write(journal, to: folder.appendingPathComponent(journalName), replacing: true)
        } catch {
            for move in moves { unlink(folder.appendingPathComponent(move[1]).path) }
            throw error
        }
        try replay(Journal(moves: moves), in: folder)
    }

    /// Finishes a commit a crash interrupted, if any (call before using the folder's outputs).
    /// - Parameter folder: the output folder.
    /// - Returns: true when an interrupted commit was finished.
    /// - Throws: `FileSafetyError.io` when a move fails.
    @discardableResult
    public static func recover(in folder: URL) throws(FileSafetyError) -> Bool {
        let url = folder.appendingPathComponent(journalName)
        guard let data = FileManager.default.contents(atPath: url.path) else { return false }
        guard let journal = try? JSONDecoder().decode(Journal.self, from: data),
              journal.moves.allSatisfy({ $0.count == 2 && isPlainName($0[0]) && isPlainName($0[1]) }) else {
            // A journal we cannot trust names nothing we may move; leave the files as they are.
            unlink(url.path)
            return false
        }
        try replay(journal, in: folder)
        return true
    }

    /// Moves the previous files aside and the new ones into place, then drops the journal.
    private static func replay(_ journal: Journal, in folder: URL) throws(FileSafetyError) {
        let previous = folder.appendingPathComponent(previousFolderName)
        for move in journal.moves {
            let final = folder.appendingPathComponent(move[0]), temporary = folder.appendingPathComponent(move[1])
            // Already moved by an earlier, interrupted replay.
            guard FileManager.default.fileExists(atPath: temporary.path) else { continue }
            if FileManager.default.fileExists(atPath: final.path) {
                if mkdir(previous.path, 0o755) != 0, errno != EEXIST {
                    throw .io(operation: "create", path: previous.path, errno: errno)
                }
                guard rename(final.path, previous.appendingPathComponent(move[0]).path) == 0 else {
                    throw .io(operation: "move the previous file aside", path: final.path, errno: errno)
                }
            }
            try AtomicFile.moveIntoPlace(temporary, final, replacing: true)
        }
        unlink(folder.appendingPathComponent(journalName).path)
    }

    private static func encoded(_ journal: Journal) throws(FileSafetyError) -> Data {
        do { return try JSONEncoder().encode(journal) } catch {
            throw .io(operation: "encode the commit journal", path: journalName, errno: EINVAL)
        }
    }

    /// A file name with no folder part (a journal must never move files elsewhere).
    private static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && name != "." && name != ".."
    }
}
