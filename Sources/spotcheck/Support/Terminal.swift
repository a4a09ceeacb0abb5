import Foundation

/// Messages for a person at a terminal: notes and warnings on stderr, so stdout holds results only.
enum Terminal {
    /// Writes `message` as one line on stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
